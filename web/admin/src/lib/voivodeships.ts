/**
 * The 16 voivodeships: TERYT code, the slug centres and rules are kept under (shared/src/teryt.ts; the
 * web apps load no table of shared/, a test checks the two agree), the Polish and English names.
 */
export const VOIVODESHIPS: ReadonlyArray<{ teryt: string; slug: string; pl: string; en: string }> = [
  { teryt: '02', slug: 'dolnoslaskie', pl: 'dolnośląskie', en: 'Lower Silesian' },
  { teryt: '04', slug: 'kujawsko-pomorskie', pl: 'kujawsko-pomorskie', en: 'Kuyavian-Pomeranian' },
  { teryt: '06', slug: 'lubelskie', pl: 'lubelskie', en: 'Lublin' },
  { teryt: '08', slug: 'lubuskie', pl: 'lubuskie', en: 'Lubusz' },
  { teryt: '10', slug: 'lodzkie', pl: 'łódzkie', en: 'Łódź' },
  { teryt: '12', slug: 'malopolskie', pl: 'małopolskie', en: 'Lesser Poland' },
  { teryt: '14', slug: 'mazowieckie', pl: 'mazowieckie', en: 'Masovian' },
  { teryt: '16', slug: 'opolskie', pl: 'opolskie', en: 'Opole' },
  { teryt: '18', slug: 'podkarpackie', pl: 'podkarpackie', en: 'Subcarpathian' },
  { teryt: '20', slug: 'podlaskie', pl: 'podlaskie', en: 'Podlaskie' },
  { teryt: '22', slug: 'pomorskie', pl: 'pomorskie', en: 'Pomeranian' },
  { teryt: '24', slug: 'slaskie', pl: 'śląskie', en: 'Silesian' },
  { teryt: '26', slug: 'swietokrzyskie', pl: 'świętokrzyskie', en: 'Holy Cross' },
  { teryt: '28', slug: 'warminsko-mazurskie', pl: 'warmińsko-mazurskie', en: 'Warmian-Masurian' },
  { teryt: '30', slug: 'wielkopolskie', pl: 'wielkopolskie', en: 'Greater Poland' },
  { teryt: '32', slug: 'zachodniopomorskie', pl: 'zachodniopomorskie', en: 'West Pomeranian' },
];

/** A voivodeship's name in the language, by its slug or its TERYT code; the text itself when unknown. */
export function voivodeshipName(slugOrCode: string, language: 'pl' | 'en'): string {
  const found = VOIVODESHIPS.find((v) => v.slug === slugOrCode || v.teryt === slugOrCode);
  return found ? found[language] : slugOrCode;
}

/** Poland's bounding box (degrees), the frame of the small map that shows a centre's point. */
export const POLAND_BOX = { north: 54.84, south: 49.0, west: 14.12, east: 24.15 } as const;
