import { MAX_QUESTION_EXAMPLES, spreadSample } from '../../knowledge/acts';
import { KB_DIR } from '../support/knowledge';
import { loadKnowledgeBase } from '../../knowledge/loader';

/**
 * The act classifier learns what a question looks like from at most MAX_QUESTION_EXAMPLES
 * phrasings per language, spread over the base: a large base's publications stay affordable,
 * and today's base is below the bound, so its act reader is exactly what it was.
 */
test('a sample keeps the order and spreads over the whole list; a short list is kept whole', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  expect(spreadSample(items, 4)).toEqual([0, 2, 5, 7]);
  expect(spreadSample(items, 10)).toBe(items);
  const large = Array.from({ length: 11_181 }, (_, i) => i);
  const sample = spreadSample(large, MAX_QUESTION_EXAMPLES);
  expect(sample).toHaveLength(MAX_QUESTION_EXAMPLES);
  expect(sample[0]).toBe(0);
  expect(sample.at(-1)).toBeGreaterThan(11_181 - 5);
});

test("today's knowledge base is below the bound in both languages, so nothing of it is left out", () => {
  const kb = loadKnowledgeBase(KB_DIR);
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const phrasings = kb.entries.filter((e) => e.locale === locale).reduce((n, e) => n + 1 + e.alternates.length, 0);
    expect(phrasings).toBeLessThan(MAX_QUESTION_EXAMPLES);
  }
});
