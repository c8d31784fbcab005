import { createStaffServices, type StaffServices } from '../../shared/src/staff-services.ts';
import type { DrawChart } from './lib/chart-spec.ts';
import { downloadFile } from './lib/download.ts';
import { drawWithUPlot } from './lib/draw-chart.ts';
import { reportsSignIn } from './lib/sign-in.ts';

/** What the dashboard uses of the outside world; tests build it with a stubbed fetch, clock, canvas and download. */
export interface Services extends StaffServices {
  /** Draws a chart into an element (uPlot on a canvas, loaded when first needed). */
  drawChart: DrawChart;
  /** Hands the browser a file to save (a table as CSV). */
  download: (fileName: string, type: string, text: string) => void;
}

/** The dashboard's services: its session kept in the tab under `ereg.reports.session`. */
export const createServices = (win: Window, options: { fetch?: typeof fetch; now?: () => Date } = {}): Services => ({
  ...createStaffServices(win, { sessionKey: 'ereg.reports.session', signIn: reportsSignIn }, options),
  drawChart: drawWithUPlot,
  download: (fileName, type, text) => downloadFile(win.document, fileName, type, text),
});
