import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkKnowledgeBase, loadKnowledgeBase, KnowledgeBaseError } from '../../knowledge/loader';
import { isFaq } from '../../knowledge/schema';
import { KB_DIR } from '../support/knowledge';

/** The topics ../shared/kb-topics.md requires, by exact id. */
const REQUIRED_IDS = [
  'phone-change-how', 'phone-change-rejected', 'phone-change-credit', 'phone-change-bank-card', 'phone-change-fee',
  'phone-change-other-bindings', 'phone-old-number-unavailable', 'phone-number-locked', 'bind-phone-how',
  'bind-phone-failed', 'bind-phone-benefits', 'bind-phone-security', 'sms-code-not-received', 'unlock-reasons',
  'unlock-how', 'password-forgot', 'account-security-tips', 'unlock-still-problems', 'closed-reasons',
  'closed-reopen-how', 'appeal-how', 'closed-permanent', 'reopen-duration', 'phishing-warning', 'service-outage',
  'support-hours',
];

function tempKb(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const entry = (id: string, extra = '') => `- id: ${id}
  locale: zh-CN
  question: 测试问题${id}
  alternates: [备选说法一, 备选说法二]
  answer: 测试答案
${extra}`;

describe('knowledge base files', () => {
  const kb = loadKnowledgeBase(KB_DIR);

  test('the shipped knowledge base has every required topic in zh-CN and en-US', () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const ids = [...kb.byLocale[locale].values()].filter(isFaq).map((e) => e.id);
      expect(ids.sort()).toEqual([...REQUIRED_IDS].sort());
    }
  });

  // The topic list lives beside the project, not in a clone: where it is absent this check is
  // reported as skipped, never counted as passed.
  const topics = path.resolve(__dirname, '../../../shared/kb-topics.md');
  (fs.existsSync(topics) ? test : test.skip)('the required list above is the one in ../shared/kb-topics.md', () => {
    const ids = [...fs.readFileSync(topics, 'utf8').matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect(ids.sort()).toEqual([...REQUIRED_IDS].sort());
  });

  test('answers fit a chat bubble and every entry has several alternates', () => {
    for (const e of kb.entries.filter(isFaq)) {
      expect(e.alternates.length).toBeGreaterThanOrEqual(5);
      expect(e.answer.length).toBeLessThanOrEqual(e.locale === 'zh-CN' ? 300 : 700);
    }
  });

  test('a broken entry is reported with file, entry id, field and reason', () => {
    const dir = tempKb({ 'zh-CN/bad.yaml': entry('good-one') + `- id: bad-one\n  locale: zh-CN\n  question: 好\n  alternates: []\n` });
    const { problems } = checkKnowledgeBase(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: expect.stringContaining('bad.yaml'), entryId: 'bad-one', field: 'question', reason: 'must be at least 2 characters' }),
        expect.objectContaining({ entryId: 'bad-one', field: 'alternates', reason: 'must list at least one alternate phrasing' }),
        expect.objectContaining({ entryId: 'bad-one', field: 'answer', reason: 'is required for an FAQ entry' }),
      ]),
    );
    expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeBaseError);
  });

  test('duplicate ids and unknown follow-ups are errors', () => {
    const dir = tempKb({
      'zh-CN/a.yaml': entry('same-id', '  followUps: [missing-id]\n'),
      'zh-CN/b.yaml': entry('same-id'),
    });
    const { problems } = checkKnowledgeBase(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entryId: 'same-id', field: 'id', reason: expect.stringContaining('duplicate id in zh-CN, first defined in') }),
        expect.objectContaining({ entryId: 'same-id', field: 'followUps', reason: 'unknown id missing-id in zh-CN' }),
      ]),
    );
  });

  test('names of others\' products belong to out-of-scope entries only', () => {
    const dir = tempKb({ 'zh-CN/names.yaml': entry('has-names', '  names: [微信]\n') });
    const { problems } = checkKnowledgeBase(dir);
    expect(problems).toEqual([expect.objectContaining({ entryId: 'has-names', field: 'names', reason: 'belongs to out-of-scope entries only' })]);
  });

  test('YAML syntax errors and unknown fields are reported', () => {
    const dir = tempKb({ 'zh-CN/syntax.yaml': '- id: [unclosed\n', 'zh-CN/extra.yaml': entry('has-extra', '  colour: red\n') });
    const { problems } = checkKnowledgeBase(dir);
    expect(problems.some((p) => p.file.includes('syntax.yaml') && p.reason.startsWith('YAML syntax'))).toBe(true);
    expect(problems.some((p) => p.entryId === 'has-extra' && /colour/.test(p.reason))).toBe(true);
  });
});
