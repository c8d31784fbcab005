/**
 * Codes of the TERYT register of Statistics Poland (GUS), in which reports name places: a voivodeship is two
 * digits (`14` mazowieckie); a gmina, in the TERC part of the register, seven: voivodeship, powiat and gmina
 * two digits each, then its kind (1 urban gmina, 2 rural, 3 urban-rural, 4 the town of an urban-rural gmina,
 * 5 its countryside, 8 a district of Warsaw, 9 a delegation of another city), e.g. Wrocław `0264011`.
 */

/** A voivodeship as the register and the system name it. */
export interface TerytVoivodeship {
  /** Two-digit TERYT code. */
  teryt: string;
  /** ASCII slug of the Polish name, stored in `Address.voivodeship` (the `id` of geo.ts's VOIVODESHIPS). */
  slug: string;
  /** Polish name as written officially (lower case, as in "województwo mazowieckie"). */
  name: string;
  /** English name as Statistics Poland's English publications give it. */
  nameEn: string;
}

/** The 16 voivodeships in the order of their TERYT codes. */
export const TERYT_VOIVODESHIPS: readonly TerytVoivodeship[] = Object.freeze(
  (
    [
      ['02', 'dolnoslaskie', 'dolnośląskie', 'Lower Silesian'],
      ['04', 'kujawsko-pomorskie', 'kujawsko-pomorskie', 'Kuyavian-Pomeranian'],
      ['06', 'lubelskie', 'lubelskie', 'Lublin'],
      ['08', 'lubuskie', 'lubuskie', 'Lubusz'],
      ['10', 'lodzkie', 'łódzkie', 'Łódź'],
      ['12', 'malopolskie', 'małopolskie', 'Lesser Poland'],
      ['14', 'mazowieckie', 'mazowieckie', 'Masovian'],
      ['16', 'opolskie', 'opolskie', 'Opole'],
      ['18', 'podkarpackie', 'podkarpackie', 'Subcarpathian'],
      ['20', 'podlaskie', 'podlaskie', 'Podlaskie'],
      ['22', 'pomorskie', 'pomorskie', 'Pomeranian'],
      ['24', 'slaskie', 'śląskie', 'Silesian'],
      ['26', 'swietokrzyskie', 'świętokrzyskie', 'Holy Cross'],
      ['28', 'warminsko-mazurskie', 'warmińsko-mazurskie', 'Warmian-Masurian'],
      ['30', 'wielkopolskie', 'wielkopolskie', 'Greater Poland'],
      ['32', 'zachodniopomorskie', 'zachodniopomorskie', 'West Pomeranian'],
    ] as const
  ).map(([teryt, slug, name, nameEn]) => Object.freeze({ teryt, slug, name, nameEn })),
);

const BY_SLUG: ReadonlyMap<string, TerytVoivodeship> = new Map(TERYT_VOIVODESHIPS.map((v) => [v.slug, v]));
const BY_TERYT: ReadonlyMap<string, TerytVoivodeship> = new Map(TERYT_VOIVODESHIPS.map((v) => [v.teryt, v]));

/** The voivodeship of an `Address.voivodeship` slug such as `mazowieckie`; undefined for any other text. */
export function voivodeshipBySlug(slug: string): TerytVoivodeship | undefined {
  return BY_SLUG.get(slug);
}

/** The voivodeship of a two-digit TERYT code such as `14`; undefined for any other text. */
export function voivodeshipByTeryt(code: string): TerytVoivodeship | undefined {
  return BY_TERYT.get(code);
}

const GMINA_CODE = /^(\d{2})\d{2}\d{2}[1-589]$/;

/**
 * The voivodeship of a seven-digit TERC gmina code (`1465011` → mazowieckie); undefined when the text is not
 * such a code: not seven digits, an unknown voivodeship, or a kind the register does not use (0, 6, 7).
 */
export function voivodeshipOfGmina(code: string): TerytVoivodeship | undefined {
  const match = GMINA_CODE.exec(code);
  return match ? BY_TERYT.get(match[1]!) : undefined;
}
