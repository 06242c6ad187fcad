import { decide, DEFAULT_THRESHOLDS } from '../../knowledge/decide';

const r = (id: string, score: number) => ({ id, score, matched: id, shared: [] });

describe('FAQ decision policy', () => {
  const t = DEFAULT_THRESHOLDS;

  test('a clear winner is answered', () => {
    expect(decide([r('a', 0.8), r('b', 0.3)], t)).toEqual({ decision: 'answer', entryId: 'a' });
  });

  test('close runners-up make it a clarification of at most three, best first', () => {
    expect(decide([r('a', 0.8), r('b', 0.75), r('c', 0.72), r('d', 0.7)], t)).toEqual({ decision: 'clarify', candidates: ['a', 'b', 'c'] });
  });

  test('a fairly good but not convincing match, alone, is asked about as a yes/no question', () => {
    expect(decide([r('a', (t.answer + t.clarify) / 2), r('b', 0.05)], t)).toEqual({ decision: 'confirm', entryId: 'a', others: ['b'] });
  });

  test('a veto in doubt turns a clear, well-separated match into a yes/no question; close or weak ones fall back', () => {
    expect(decide([r('a', 0.7), r('b', 0.15)], t, true)).toEqual({ decision: 'confirm', entryId: 'a', others: ['b'] });
    expect(decide([r('a', 0.7), r('b', 0.65)], t, true)).toEqual({ decision: 'fallback' });
    expect(decide([r('a', t.vetoConfirmScore - 0.01)], t, true)).toEqual({ decision: 'fallback' });
  });

  test('nothing good enough falls back', () => {
    expect(decide([r('a', t.clarify - 0.01)], t)).toEqual({ decision: 'fallback' });
    expect(decide([], t)).toEqual({ decision: 'fallback' });
  });

  test('thresholds are configuration', () => {
    const strict = { ...t, answer: 0.95 };
    expect(decide([r('a', 0.9), r('b', 0.1)], strict).decision).toBe('confirm');
  });
});
