import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../bot/kb/cli';
import { exportQnaTsv, importQnaTsv } from '../../knowledge/qnaMaker';
import { groupUnanswered } from '../../knowledge/unanswered';
import { realKnowledge } from '../support/knowledge';

const SAMPLE = path.resolve(__dirname, '../../knowledge/samples/qna-maker-sample.tsv');

async function kb(env: Record<string, string>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await main(args, { KB_SIGNALS_FILE: '', ...env }), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** A copy of the shipped knowledge base to change freely. */
function kbCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-'));
  fs.cpSync(path.resolve(__dirname, '../../knowledge/data'), dir, { recursive: true });
  return dir;
}

test('import groups rows by answer; ids from metadata, QnaId or order; tags from metadata', () => {
  const { entries, skipped } = importQnaTsv(fs.readFileSync(SAMPLE, 'utf8'), 'zh-CN', new Set(['qna-104']));
  expect(entries.map((e) => [e.id, e.question, e.alternates])).toEqual([
    ['withdraw-arrival-time', '提现多久能到账', ['提现怎么还没到账', '钱提出来了银行卡没收到']],
    ['qna-102', '提现要手续费吗', ['提现收费吗']],
    ['qna-103', '每天最多能转多少钱', ['转账限额是多少', '怎么提高转账额度']],
    // A lone question gets its own wording with a question mark as the required alternate; a taken id a suffix.
    ['qna-104-2', '账单里的交易记录能保存多久', ['账单里的交易记录能保存多久？']],
  ]);
  expect(entries[0]?.tags).toEqual(['imported', 'withdraw']);
  expect(skipped).toEqual([{ row: 11, reason: 'question or answer is empty' }]);
  expect(() => importQnaTsv('foo\tbar\n', 'zh-CN')).toThrow('not a QnA Maker export');
});

test('kb import of the sample, then kb check, then kb ask on one of its questions', async () => {
  const dir = kbCopy();
  const env = { KB_DIR: dir };
  const imported = await kb(env, 'import', SAMPLE, '--locale', 'zh-CN');
  expect(imported.code).toBe(0);
  expect(imported.out).toContain('Imported 4 entries (10 phrasings)');
  expect(fs.readFileSync(path.join(dir, 'zh-CN', 'imported.yaml'), 'utf8')).toContain('id: withdraw-arrival-time');
  expect((await kb(env, 'check')).code).toBe(0);
  const asked = JSON.parse((await kb(env, 'ask', '提现怎么还没到账啊', '--json')).out) as { decision: string; entryId: string };
  expect(asked).toEqual(expect.objectContaining({ decision: 'answer', entryId: 'withdraw-arrival-time' }));
});

test('kb export writes every phrasing of every FAQ entry; importing it back gives the same entries', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-export-')), 'kb.tsv');
  expect((await kb({}, 'export', '--locale', 'en-US', '--out', out)).code).toBe(0);
  const tsv = fs.readFileSync(out, 'utf8');
  const faq = realKnowledge().kb.entries.filter((e) => e.locale === 'en-US' && e.kind === 'faq');
  expect(tsv.trim().split('\n')).toHaveLength(1 + faq.reduce((n, e) => n + 1 + e.alternates.length, 0));
  const back = importQnaTsv(tsv, 'en-US').entries;
  expect(back.map((e) => e.id).sort()).toEqual(faq.map((e) => e.id).sort());
  const original = faq.find((e) => e.id === 'password-forgot');
  expect(back.find((e) => e.id === 'password-forgot')).toEqual(expect.objectContaining({ question: original?.question, alternates: original?.alternates }));
  expect(exportQnaTsv([], 'x')).toBe('Question\tAnswer\tSource\tMetadata\n');
});

test('kb unanswered groups similar questions with the nearest entries, 👎 included', async () => {
  const { router } = realKnowledge();
  const signals = [
    { kind: 'unanswered' as const, question: '提现多久到账', locale: 'zh-CN' as const },
    { kind: 'unanswered' as const, question: '提现多久能到账啊', locale: 'zh-CN' as const },
    { kind: 'unanswered' as const, question: '提现多久到账', locale: 'zh-CN' as const },
    { kind: 'unanswered' as const, question: '今天天气怎么样', locale: 'zh-CN' as const },
    { kind: 'feedback' as const, vote: 'down' as const, entryId: 'sms-code-not-received', question: '验证码一直不来', locale: 'zh-CN' as const },
    { kind: 'feedback' as const, vote: 'up' as const, entryId: 'password-forgot', question: '忘记密码', locale: 'zh-CN' as const },
  ];
  const groups = groupUnanswered(signals, router);
  expect(groups.map((g) => [g.count, g.examples])).toEqual([
    [3, ['提现多久到账', '提现多久能到账啊']],
    [1, ['今天天气怎么样']],
    [1, ['验证码一直不来']],
  ]);
  expect(groups[2]?.downvoted).toEqual(['sms-code-not-received']);
  expect(groups[2]?.nearest[0]).toEqual(expect.objectContaining({ id: 'sms-code-not-received', question: expect.any(String) }));

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-signals-')), 'signals.jsonl');
  fs.writeFileSync(file, signals.map((s) => JSON.stringify({ ...s, at: '2026-11-22T00:00:00Z', conversation: 'x' })).join('\n'));
  const printed = await kb({}, 'unanswered', '--file', file);
  expect(printed.code).toBe(0);
  expect(printed.out).toContain('×3  (zh-CN)  提现多久到账 | 提现多久能到账啊');
  expect(printed.out).toContain('👎 on: sms-code-not-received');
});
