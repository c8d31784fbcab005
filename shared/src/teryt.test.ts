import { VOIVODESHIPS } from './geo.ts';
import { TERYT_VOIVODESHIPS, voivodeshipBySlug, voivodeshipByTeryt, voivodeshipOfGmina } from './teryt.ts';

describe('TERYT_VOIVODESHIPS', () => {
  it('lists the 16 voivodeships under the even codes 02 to 32, in order', () => {
    expect(TERYT_VOIVODESHIPS.map((v) => v.teryt)).toEqual(
      Array.from({ length: 16 }, (_, i) => String(2 * (i + 1)).padStart(2, '0')),
    );
  });

  it('uses the same slugs and Polish names as the voivodeships that addresses and demo towns refer to', () => {
    const bySlug = new Map(VOIVODESHIPS.map((v) => [v.id, v.name]));

    expect(TERYT_VOIVODESHIPS.map((v) => v.slug).sort()).toEqual([...bySlug.keys()].sort());
    for (const v of TERYT_VOIVODESHIPS) expect(v.name).toBe(bySlug.get(v.slug));
  });

  test.each([
    ['02', 'dolnoslaskie', 'Lower Silesian'],
    ['10', 'lodzkie', 'Łódź'],
    ['14', 'mazowieckie', 'Masovian'],
    ['24', 'slaskie', 'Silesian'],
    ['32', 'zachodniopomorskie', 'West Pomeranian'],
  ])('gives %s to %s (%s)', (teryt, slug, nameEn) => {
    expect(voivodeshipByTeryt(teryt)).toMatchObject({ slug, nameEn });
    expect(voivodeshipBySlug(slug)?.teryt).toBe(teryt);
  });

  it('knows no other code or slug', () => {
    expect(voivodeshipByTeryt('03')).toBeUndefined();
    expect(voivodeshipByTeryt('2')).toBeUndefined();
    expect(voivodeshipBySlug('Mazowieckie')).toBeUndefined();
    expect(voivodeshipBySlug('mazowsze')).toBeUndefined();
  });
});

describe('voivodeshipOfGmina', () => {
  test.each([
    ['1465011', 'mazowieckie'],
    ['0264011', 'dolnoslaskie'],
    ['1261011', 'malopolskie'],
    ['3064011', 'wielkopolskie'],
    ['2003054', 'podlaskie'],
  ])('places %s in %s', (code, slug) => {
    expect(voivodeshipOfGmina(code)?.slug).toBe(slug);
  });

  test.each(['146501', '14650111', '1465O11', '0364011', '1465016', '1465010', ' 1465011'])('refuses %p', (code) => {
    expect(voivodeshipOfGmina(code)).toBeUndefined();
  });
});
