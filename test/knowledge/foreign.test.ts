import { isForeign } from '../../knowledge/route';

/**
 * A word of the message that none of our phrasings has marks someone else's product, and an
 * out-of-scope example sharing it throws the question away. Ordinary English is no such word:
 * "where do I *go* to change my number" once fell back because "will bitcoin go up" shares "go".
 */
const ours: ReadonlySet<string> = new Set(['change', 'phone', 'number', '账', '户', '锁', '张', '卡', '账户']);

test.each([
  ['go', false],
  ['onto', false],
  ['different', false],
  ['ve', false], // what "I've" leaves once the apostrophe splits it
  ['change', false],
  ['venmo', true],
  ['paypal', true],
  ['instagram', true],
  ['美团', true],
  ['张卡', false],
  ['账', false],
] as const)('%s is someone else\'s word: %s', (term, foreign) => {
  expect(isForeign(term, ours)).toBe(foreign);
});
