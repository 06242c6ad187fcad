import { createFlows, type Flows } from '../../bot/conversation/flowActors';
import type { FlowOutcome } from '../../dialogs/flows/protocol';
import type { Locale } from '../../knowledge/schema';
import { demoPlatform, FILE_RULES } from '../support/conversation';
import { runFlowAlone } from '../support/flowAlone';

/**
 * Each guided flow alone, as a table of what the user types and what the flow answers (one
 * pattern per line it says), with the in-memory demo platform behind it: no root
 * conversation, router or turn runner. `CODE(phone)` is the latest code sent to that number.
 */
const CODE = (phone: string) => ({ codeFor: phone });
type Typed = string | ReturnType<typeof CODE>;

interface FlowTable {
  name: string;
  flow: keyof Flows;
  locale: Locale;
  opening: RegExp[];
  lines: [Typed, RegExp[]][];
  outcome: FlowOutcome | undefined;
}

const TABLES: FlowTable[] = [
  {
    name: 'unlock of a password lock: a slip, the number, the code, unlocked with a reset link',
    flow: 'unlock',
    locale: 'zh-CN',
    opening: [/解锁账户。请输入账户绑定的手机号/],
    lines: [
      ['abc', [/不是有效的手机号/]],
      ['13800000002', [/验证码已发送至 138\*{4}0002/]],
      [CODE('13800000002'), [/账户已解锁.*重置密码的链接/]],
    ],
    outcome: { outcome: 'done' },
  },
  {
    name: 'unlock of a security-alert lock: verified, then handed to a person with high priority',
    flow: 'unlock',
    locale: 'en-US',
    opening: [/unlock/i],
    lines: [
      ['13800000004', [/138\*{4}0004/]],
      [CODE('13800000004'), [/security alert/i]],
    ],
    outcome: { outcome: 'handoff', priority: 'high', reason: 'security_alert' },
  },
  {
    name: 'phone change: both numbers verified, the confirmation, the change',
    flow: 'phoneChange',
    locale: 'zh-CN',
    opening: [/更换绑定的手机号。请先输入当前绑定的手机号/],
    lines: [
      ['13800000008', [/138\*{4}0008/]],
      [CODE('13800000008'), [/^验证通过。请输入新的手机号/]],
      ['13900000000', [/^为确认新号码在您手上.*139\*{4}0000/]],
      [CODE('13900000000'), [/从 138\*{4}0008 更换为 139\*{4}0000/]],
      ['确认更换', [/^更换成功！.*139\*{4}0000/s]],
    ],
    outcome: { outcome: 'done' },
  },
  {
    name: 'appeal of a closed account: verified, the reason told, an explanation, no files, filed',
    flow: 'appeal',
    locale: 'zh-CN',
    opening: [/提交申诉。请输入账户绑定的手机号/],
    lines: [
      ['13800000005', [/138\*{4}0005/]],
      [CODE('13800000005'), [/身份验证未通过被关闭/, /请用一段话说明情况/]],
      ['太短', [/说明/]],
      ['我的账户被误关了，我一直是本人正常使用，没有违规，请帮我恢复', [/上传图片或 PDF/]],
      ['跳过', [/AP-\d{8}-[0-9A-Z]{4}/]],
    ],
    outcome: { outcome: 'done' },
  },
  {
    name: 'appeal status: an unknown case number is said to be unknown and the question asked again',
    flow: 'appealStatus',
    locale: 'en-US',
    opening: [/case number/],
    lines: [['AP-20990101-ZZZZ', [/No case has that number/, /case number/]]],
    outcome: undefined,
  },
];

test.each(TABLES.map((t) => [t.name, t] as const))('%s', async (_name, table) => {
  const demo = demoPlatform();
  const flows = createFlows(demo.platform, FILE_RULES);
  const latestCode = (phone: string) => demo.outbox.messagesTo(phone).filter((m) => m.code).at(-1)?.code ?? '';
  const { run, opening } = await runFlowAlone(flows[table.flow], { locale: table.locale });
  expect(opening).toEqual(table.opening.map((p) => expect.stringMatching(p)));
  for (const [typed, expected] of table.lines) {
    const text = typeof typed === 'string' ? typed : latestCode(typed.codeFor);
    const said = await run.say(text);
    expect([text, said]).toEqual([text, expected.map((p) => expect.stringMatching(p))]);
  }
  expect(run.outcome()).toEqual(table.outcome);
});
