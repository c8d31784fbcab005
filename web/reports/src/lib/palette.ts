/**
 * The chart's colours: the Okabe–Ito palette, told apart with every common kind of colour blindness,
 * one per product and dose in turn; the 7-day average is the text's colour, dashed.
 */
export const LAYER_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#8C8C8C'];
export const LINE_COLOUR = '#1b1b1b';

export const layerColour = (index: number): string => LAYER_COLOURS[index % LAYER_COLOURS.length] ?? '#000000';
