import { checkReference, groupedReference } from './reference.ts';

describe('a booking reference typed at the desk', () => {
  it.each(['GEWLV34C', 'gewlv34c', 'GEWL V34C', 'gewl-v34c', ' GE WL-V3 4C '])('reads %j as GEWLV34C', (typed) => {
    expect(checkReference(typed)).toEqual({ ok: true, reference: 'GEWLV34C' });
  });

  it('says how many characters were typed when there are not eight', () => {
    expect(checkReference('GEWL V3')).toEqual({ ok: false, problem: 'length', count: 6 });
    expect(checkReference('')).toEqual({ ok: false, problem: 'length', count: 0 });
  });

  it('names a character the references never use, and says why for 0, O, 1 and I', () => {
    expect(checkReference('GEWLV30C')).toEqual({ ok: false, problem: 'confusable', character: '0' });
    expect(checkReference('gewlv3ic')).toEqual({ ok: false, problem: 'confusable', character: 'I' });
    expect(checkReference('GEWL?34C')).toEqual({ ok: false, problem: 'character', character: '?' });
  });

  it('is shown in two groups of four, as read out', () => {
    expect(groupedReference('GEWLV34C')).toBe('GEWL V34C');
  });
});
