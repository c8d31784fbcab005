import { POSTAL_AREAS } from './geo.ts';
import type { GeoPoint } from './model.ts';

/**
 * Where a postal code is. `locality`: the code is in the table, placed at its town or village;
 * `area`: the table lacks it, so only its two-digit area is known (tens of kilometres).
 */
export interface PostalCodePlace {
  place: string;
  location: GeoPoint;
  precision: 'locality' | 'area';
}

/** One row of a postal-code table: a locality's name, its point, and its codes ("38700", or a run "00001-00044"). */
export type PostalCodeRow = readonly [place: string, lat: number, lon: number, codes: string];

const CODE = /^(\d{2})-?(\d{3})$/;
const RUN = /^(\d{5})(?:-(\d{5}))?$/;

const AREA_PLACES: ReadonlyMap<string, PostalCodePlace> = new Map(
  Object.values(POSTAL_AREAS).map((area) => [
    area.prefix,
    Object.freeze({ place: area.town, location: Object.freeze({ ...area.location }), precision: 'area' as const }),
  ]),
);

const isRow = (row: readonly unknown[]): row is PostalCodeRow =>
  row.length === 4 &&
  typeof row[0] === 'string' &&
  typeof row[1] === 'number' &&
  Number.isFinite(row[1]) &&
  Math.abs(row[1]) <= 90 &&
  typeof row[2] === 'number' &&
  Number.isFinite(row[2]) &&
  Math.abs(row[2]) <= 180 &&
  typeof row[3] === 'string';

/**
 * Polish postal codes at their localities, held as a map from the five digits to a shared place per
 * locality. A code the table lacks falls back to its two-digit area; a code of no area is unknown.
 */
export class PostalCodes {
  private readonly byCode: ReadonlyMap<number, PostalCodePlace>;
  private readonly byName: ReadonlyMap<string, PostalCodePlace>;

  private constructor(byCode: ReadonlyMap<number, PostalCodePlace>, byName: ReadonlyMap<string, PostalCodePlace>) {
    this.byCode = byCode;
    this.byName = byName;
  }

  /**
   * Builds the lookup from the rows of a table (see scripts/postal-codes.mjs); a malformed row or a code
   * given twice names itself, since a wrong table would misplace every search from it.
   */
  static fromRows(rows: ReadonlyArray<readonly unknown[]>): PostalCodes {
    const byCode = new Map<number, PostalCodePlace>();
    const byName = new Map<string, { place: PostalCodePlace; codes: number }>();
    rows.forEach((row, i) => {
      if (!isRow(row)) throw new Error(`Postal-code table row ${i} is malformed: ${JSON.stringify(row)}`);
      const [place, lat, lon, codes] = row;
      const shared: PostalCodePlace = Object.freeze({
        place,
        location: Object.freeze({ lat, lon }),
        precision: 'locality' as const,
      });
      let count = 0;
      for (const part of codes.split(' ')) {
        const run = RUN.exec(part);
        const first = Number(run?.[1]);
        const last = run?.[2] === undefined ? first : Number(run[2]);
        if (!run || last < first)
          throw new Error(`Postal-code table row ${i} (${place}): "${part}" is not a code or run`);
        for (let code = first; code <= last; code++) {
          if (byCode.has(code)) throw new Error(`Postal-code table row ${i} (${place}): ${part} is listed twice`);
          byCode.set(code, shared);
          count++;
        }
      }
      // Several villages share a name: the one with the most codes is the town people mean.
      const key = placeKey(place);
      const known = byName.get(key);
      if (!known || known.codes < count) byName.set(key, { place: shared, codes: count });
    });
    return new PostalCodes(byCode, new Map([...byName].map(([key, { place }]) => [key, place])));
  }

  /** No table: every code is placed by its two-digit area only. */
  static areasOnly(): PostalCodes {
    return new PostalCodes(new Map(), new Map());
  }

  /** How many codes the table places at a locality. */
  get size(): number {
    return this.byCode.size;
  }

  /** The place of a code (`NN-NNN` or `NNNNN`): its locality, else its area; null for a malformed code or one of no area. */
  locate(postalCode: string): PostalCodePlace | null {
    const match = CODE.exec(postalCode.trim());
    if (!match) return null;
    const [, area = '', rest = ''] = match;
    return this.byCode.get(Number(area + rest)) ?? AREA_PLACES.get(area) ?? null;
  }

  /**
   * A town or village by its name, as a caller says it: case, diacritics and spacing do not matter
   * (`lodz` is Łódź). Of several places with one name, the one with the most codes; null if none.
   */
  findPlace(name: string): PostalCodePlace | null {
    return this.byName.get(placeKey(name)) ?? null;
  }
}

/** A place's name reduced for comparison: lower case, without diacritics (ł too), single spaces and dashes. */
export function placeKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/ł/g, 'l')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s*-\s*/g, '-')
    .replace(/\s+/g, ' ');
}
