/**
 * The 16 voivodeships by TERYT code (shared/src/teryt.ts; their names are in the catalogues), each with
 * its place in the cartogram: a grid of four by four that keeps them roughly where they lie, the coast
 * on top, Masovia east of the middle, the mountains at the bottom.
 */
export const VOIVODESHIP_GRID: ReadonlyArray<{ teryt: string; row: number; column: number }> = [
  { teryt: '32', row: 1, column: 1 },
  { teryt: '22', row: 1, column: 2 },
  { teryt: '28', row: 1, column: 3 },
  { teryt: '20', row: 1, column: 4 },
  { teryt: '08', row: 2, column: 1 },
  { teryt: '30', row: 2, column: 2 },
  { teryt: '04', row: 2, column: 3 },
  { teryt: '14', row: 2, column: 4 },
  { teryt: '02', row: 3, column: 1 },
  { teryt: '10', row: 3, column: 2 },
  { teryt: '26', row: 3, column: 3 },
  { teryt: '06', row: 3, column: 4 },
  { teryt: '16', row: 4, column: 1 },
  { teryt: '24', row: 4, column: 2 },
  { teryt: '12', row: 4, column: 3 },
  { teryt: '18', row: 4, column: 4 },
];

/** Every voivodeship's TERYT code, in the register's order. */
export const VOIVODESHIP_CODES: readonly string[] = VOIVODESHIP_GRID.map((v) => v.teryt).sort();

/** Where the long names may break on a narrow tile (a soft hyphen), after their first part. */
const BREAKS = /^(zachodnio|dolno|święto|wielko|mało|mazo|podkar|Sub)/;

/** A voivodeship's name with a soft hyphen where a narrow tile may break it; other names as they are. */
export function breakable(name: string): string {
  return name.replace(BREAKS, '$1\u00ad');
}
