import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../bot/kb/cli';
import { explainRoute } from '../../bot/kb/explainRoute';
import { DEFAULT_THRESHOLDS } from '../../knowledge/decide';
import type { Route } from '../../knowledge/route';

/** Runs the CLI in-process and captures what it prints. */
async function kb(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await main(args, { KB_SIGNALS_FILE: '' });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('kb CLI', () => {
  test('ask --json: a known question is answered with the right entry', async () => {
    const { code, out } = await kb('ask', '换了手机号银行卡要重新绑吗', '--json');
    expect(code).toBe(0);
    const route = JSON.parse(out) as { decision: string; entryId: string; results: { id: string; score: number }[] };
    expect(route.decision).toBe('answer');
    expect(route.entryId).toBe('phone-change-bank-card');
    expect(route.results[0]).toEqual({ id: 'phone-change-bank-card', score: expect.any(Number) });
  });

  test('ask --json: weather falls back, requests start flows or the handoff', async () => {
    expect(JSON.parse((await kb('ask', '今天天气怎么样', '--json')).out)).toEqual(expect.objectContaining({ decision: 'fallback' }));
    expect(JSON.parse((await kb('ask', '今天天气怎么样', '--json')).out)).not.toHaveProperty('entryId');
    expect(JSON.parse((await kb('ask', '帮我解锁', '--json')).out)).toEqual(expect.objectContaining({ decision: 'flow', flow: 'unlock' }));
    expect(JSON.parse((await kb('ask', '我要换手机号', '--json')).out)).toEqual(expect.objectContaining({ decision: 'flow', flow: 'phone-change' }));
    expect(JSON.parse((await kb('ask', '查一下申诉进度', '--json')).out)).toEqual(expect.objectContaining({ decision: 'flow', flow: 'appeal-status' }));
    expect(JSON.parse((await kb('ask', '转人工', '--json')).out)).toEqual(expect.objectContaining({ decision: 'handoff' }));
  });

  test('ask --json: "您是想问…吗？" is reported as a confirm with the entry it asks about', async () => {
    // A clear match out-of-scope examples ("支付宝密码忘记了") cast doubt on: asked about, not thrown away.
    const route = JSON.parse((await kb('ask', '支付宝微信那边要改吗', '--json')).out) as { decision: string; entryId?: string };
    expect(route).toEqual(expect.objectContaining({ decision: 'confirm', entryId: 'phone-change-other-bindings', vetoed: 'doubt' }));
    const { out } = await kb('ask', '支付宝微信那边要改吗');
    expect(out).toContain('confirm: phone-change-other-bindings');
    expect(out).toContain('vetoed (doubt)');
  });

  test('ask says why a message fell back: which out-of-scope example, classifier class or product vetoed which entry, with scores', async () => {
    type Why = { decision: string; why?: string; vetoedBy?: { by: string; example?: string; words?: string[]; names?: string[]; probability?: number; against?: { id: string; score: number } } };
    const ask = async (text: string) => JSON.parse((await kb('ask', text, '--json')).out) as Why;

    const example = await ask('怎么开发票');
    expect(example).toEqual(expect.objectContaining({ decision: 'fallback', vetoedBy: expect.objectContaining({ by: 'out-of-scope example', example: 'out-of-scope-carrier-and-banks', words: ['票'] }) }));
    expect(example.vetoedBy?.against).toEqual({ id: expect.any(String), score: expect.any(Number) });
    const { out } = await kb('ask', '怎么开发票');
    expect(out).toMatch(/why: the out-of-scope example out-of-scope-carrier-and-banks "股票怎么开户" \(similarity 0\.\d{3}; its words "票"\) vetoed [a-z-]+ \(similarity 0\.\d{3}\)/);

    expect((await ask('今天天气怎么样')).vetoedBy).toEqual(expect.objectContaining({ by: 'classifier', probability: expect.any(Number), against: expect.objectContaining({ id: expect.any(String) }) }));
    expect((await ask('qq号被冻结了怎么办')).vetoedBy).toEqual(expect.objectContaining({ by: 'product named', names: ['qq'] }));
    expect((await ask('2')).why).toBe('no FAQ entry matched any word of it');
  });

  test('a fallback nothing vetoed says how far the best match was from the threshold', () => {
    const route: Route = { decision: 'fallback', locale: 'zh-CN', results: [{ id: 'unlock-how', score: 0.41234, matched: '账户怎么解锁', shared: ['解锁'] }] };
    expect(explainRoute(route, { ...DEFAULT_THRESHOLDS, clarify: 0.5 })).toBe('why: the best match unlock-how scored 0.412, under the clarify threshold 0.500');
    expect(explainRoute({ decision: 'answer', entryId: 'unlock-how', locale: 'zh-CN', results: route.results }, DEFAULT_THRESHOLDS)).toBeUndefined();
  });

  test('ask routes commands as the bot does: "帮助" is the help command with its buttons, not a fallback', async () => {
    const help = JSON.parse((await kb('ask', '帮助', '--json')).out) as { decision: string; command: string; reply: { suggestions: { value: string }[] } };
    expect(help).toEqual(expect.objectContaining({ decision: 'command', command: 'help', locale: 'zh-CN' }));
    expect(help.reply.suggestions.map((s) => s.value)).toEqual(['帮我解锁', '我要换手机号', '我要申诉', '查询申诉进度', '转人工']);
    // Each button's words route to what it offers.
    const routes = await Promise.all(help.reply.suggestions.map(async (s) => JSON.parse((await kb('ask', s.value, '--json')).out) as { decision: string; flow?: string }));
    expect(routes.map((r) => r.flow ?? r.decision)).toEqual(['unlock', 'phone-change', 'appeal', 'appeal-status', 'handoff']);
    expect(JSON.parse((await kb('ask', 'what can you do', '--json')).out)).toEqual(expect.objectContaining({ decision: 'command', command: 'help', locale: 'en-US' }));
    const { out } = await kb('ask', '帮助');
    expect(out).toContain('command: help');
    expect(out).toContain('[帮我解锁] [我要换手机号] [我要申诉] [查询申诉进度] [转人工]');
  });

  test('ask: a case number in the message is a status check, never a new appeal', async () => {
    for (const text of ['查一下申诉 AP-20261123-7K3Q 的进度', '我要申诉 ap - 20261123 - 7k3q 到哪一步了', "what's the status of appeal AP-20261123-7K3Q"]) {
      expect(JSON.parse((await kb('ask', text, '--json')).out)).toEqual(expect.objectContaining({ decision: 'flow', flow: 'appeal-status' }));
    }
  });

  test('ask --locale en-US answers from the English entries', async () => {
    const route = JSON.parse((await kb('ask', 'forgot my password', '--locale', 'en-US', '--json')).out) as { entryId: string };
    expect(route.entryId).toBe('password-forgot');
  });

  test('check passes on the shipped knowledge base and fails on a broken one', async () => {
    expect((await kb('check')).code).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-'));
    fs.mkdirSync(path.join(dir, 'zh-CN'));
    fs.writeFileSync(path.join(dir, 'zh-CN', 'x.yaml'), '- id: Bad Id\n  locale: zh-CN\n');
    const out: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    try {
      expect(main(['check'], { KB_DIR: dir })).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('\n')).toMatch(/x\.yaml: entry Bad Id: field id: must be lowercase words joined by hyphens/);
  });

  test('eval --json prints the report object', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-eval-')), 'set.tsv');
    fs.writeFileSync(file, '# sample\n忘记密码怎么办\tpassword-forgot\n今天天气怎么样\tfallback\n帮我解锁\tflow:unlock\n');
    const report = JSON.parse((await kb('eval', file, '--json')).out) as Record<string, unknown>;
    expect(report).toEqual({
      total: 3,
      answerable: 2,
      top1: 1,
      inScope: 1,
      directCorrect: 1,
      wrongAction: 0,
      clarify: 0,
      fallbackPrecision: 1,
      fallbackRecall: 1,
      byKind: {},
      misses: [],
    });
  });
});
