import { parseLabelledSet } from '../../knowledge/eval';
import { buildKnowledgeFromEntries, knowledgeFromEntries } from '../../knowledge/index';
import fs from 'node:fs';
import path from 'node:path';
import { EVAL_DIR, realKnowledge } from '../support/knowledge';

/**
 * A published version is built in slices between turns (knowledge/slices.ts): turns that
 * arrive meanwhile are answered, and the knowledge it builds is the one built at once.
 */
jest.setTimeout(120_000);

const entries = () => realKnowledge().kb.entries;
const devLines = (locale: 'zh-CN' | 'en-US') => parseLabelledSet(fs.readFileSync(path.join(EVAL_DIR, `${locale}.tsv`), 'utf8')).map((item) => item.question);

test('built in slices, the knowledge routes every dev-set message and reads its acts exactly as built at once', async () => {
  const sliced = await buildKnowledgeFromEntries(entries(), {});
  const atOnce = knowledgeFromEntries(entries(), {});
  const lines = [...devLines('zh-CN'), ...devLines('en-US')];
  expect(lines.length).toBeGreaterThan(100);
  for (const text of lines) {
    // Scores included: the classifier's weights are the same to the last bit.
    expect(sliced.router.route(text)).toEqual(atOnce.router.route(text));
    expect(sliced.router.acts.read(text, 'zh-CN')).toEqual(atOnce.router.acts.read(text, 'zh-CN'));
  }
});

test('a turn that arrives while a version builds is answered before the build finishes', async () => {
  const serving = realKnowledge();
  const events: string[] = [];
  const building = buildKnowledgeFromEntries(entries(), {}).then(() => events.push('built'));
  // The turn arrives once the build is under way (the next turn of the event loop).
  const turn = new Promise<void>((resolve) =>
    setImmediate(() => {
      const route = serving.router.route('怎么修改绑定的手机号');
      events.push(`answered: ${route.decision}`);
      resolve();
    }),
  );
  await Promise.all([building, turn]);
  expect(events).toEqual([expect.stringMatching(/^answered: /), 'built']);
});
