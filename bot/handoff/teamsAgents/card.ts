import { z } from 'zod';
import { oneLine, textRun } from '../../channels/render';
import type { FlowStage, FlowTrail, Handoff, HandoffReason, HandoffStatus, TranscriptEntry } from '../../../domain/handoff';

/**
 * The Adaptive Card a handoff is in the Teams agents' channel: a pure function of the record
 * and the last lines before it, so every instance renders the same card for the same state
 * and an update replaces it whole. Words as the console's (bot/handoff/console/console.js),
 * which runs in the browser and cannot share them.
 */

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** What the cards' buttons send back (Action.Execute's data, or an Action.Submit's value): a handoff's, or a ticket's 已联系. */
export const cardDataSchema = z.union([
  z.object({ kefu: z.enum(['claim', 'transcript']), handoff: z.string().min(1).max(100) }),
  z.object({ kefu: z.literal('contacted'), ticket: z.string().min(1).max(100) }),
]);
export type CardData = z.infer<typeof cardDataSchema>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Record<string, unknown>[];
  actions: Record<string, unknown>[];
}

export const REASONS: Record<HandoffReason, string> = {
  'user-request': '用户要求转人工',
  'repeated-fallback': '连续两次未能回答',
  complaint: '投诉或不满',
  security_alert: '安全预警锁定（需人工核实）',
  'old-number-unavailable': '旧手机号无法接收验证码',
  'flow-stuck': '自助流程无法完成',
};
const FLOWS: Record<string, string> = { unlock: '账户解锁', phoneChange: '更换手机号', appeal: '申诉', appealStatus: '申诉进度查询' };
const STAGES: Record<FlowStage, string> = {
  askingPhone: '等待用户提供手机号',
  awaitingCode: '已向该号码发送验证码，等待用户输入',
  lookingUpAccount: '验证码已通过，正在查询账户',
  unlocking: '已验证手机号，正在解锁账户',
  securityLocked: '已验证手机号，账户因安全预警锁定',
  oldNumberLost: '用户表示原手机号已无法接收验证码',
  askingNewPhone: '已验证原手机号，等待用户提供新手机号',
  awaitingNewCode: '已验证原手机号，等待新号码的验证码',
  confirmingChange: '新旧号码均已验证，等待用户确认更换',
  changingPhone: '新旧号码均已验证，正在更换手机号',
  askingExplanation: '已验证手机号（账户已关闭），等待用户填写申诉说明',
  askingFiles: '已收到申诉说明，等待用户上传材料',
  filingAppeal: '正在提交申诉',
  askingCaseOrPhone: '等待用户提供申诉编号或手机号',
  lookingUpCase: '正在按申诉编号查询',
  lookingUpCases: '已验证手机号，正在查询申诉记录',
};
/** How a flow that ended before the handoff ended (the console says the same). */
const OUTCOMES: Record<NonNullable<FlowTrail['outcome']>, string> = { completed: '已办理完成', cancelled: '用户中途取消' };

/** The flow as the agent reads it: where it stands, or, for one that ended before the handoff, how it ended. */
function flowLine(trail: FlowTrail): string {
  const name = FLOWS[trail.flow] ?? trail.flow;
  const stage = trail.stage ? STAGES[trail.stage] : undefined;
  if (trail.outcome) return [name, OUTCOMES[trail.outcome], ...(stage ? [`取消时：${stage}`] : [])].join(' · ');
  return stage ? `${name}：${stage}` : name;
}

export const CHANNELS: Record<string, string> = { directline: '网页聊天', webchat: '网页聊天', msteams: 'Microsoft Teams', emulator: 'Bot Framework Emulator' };
export const LANGUAGES: Record<string, string> = { 'zh-CN': '中文', 'en-US': 'English' };
const WHO: Record<TranscriptEntry['from'], string> = { user: '用户', bot: '机器人', agent: '客服' };

/** How many lines before the handoff the card shows (the full transcript is a button away). */
export const CARD_LINES = 6;
const LINE_CHARS = 200;

function status(handoff: Handoff): { text: string; color: string } {
  const by = handoff.agentName ?? handoff.agentId ?? '';
  const words: Record<HandoffStatus, { text: string; color: string }> = {
    queued: { text: '排队中，等待客服接入', color: 'attention' },
    active: { text: `${by} 已接入`, color: 'good' },
    resolved: { text: `已结束（${by || '客服'}处理）`, color: 'default' },
    cancelled: { text: '用户已取消排队', color: 'default' },
    expired: { text: '无人接入，已超时', color: 'default' },
  };
  return words[handoff.status];
}

const clip = (text: string) => (text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS)}…` : text);

/**
 * One line of the chat as agents see it in Teams (the card, and what the bot posts in its
 * thread): who said it, the user in a style of their own, then the words on one line as
 * TextRuns, which Teams never reads as Markdown. Every word a user typed reaches an agent
 * in Teams through here, so a link stays text and a typed line break cannot start a line
 * that looks like the bot's.
 */
export function chatLine(
  { from, who, text }: { from: TranscriptEntry['from']; who: string; text: string },
  { after, clipped = false }: { after?: string; clipped?: boolean } = {},
): Record<string, unknown> {
  const user = from === 'user';
  const words = oneLine(text);
  return {
    type: 'RichTextBlock',
    spacing: 'None',
    inlines: [
      textRun(`${who}：`, user ? { weight: 'Bolder', color: 'Accent' } : { weight: 'Bolder', isSubtle: true }),
      textRun(clipped ? clip(words) : words, user ? {} : { isSubtle: true }),
      ...(after ? [textRun(oneLine(after), { isSubtle: true })] : []),
    ],
  };
}

/**
 * Many chat lines as cards of at most `maxBytes` of JSON each (a line longer than that has a
 * card of its own), the heading on the first: the full transcript posted in the thread.
 */
export function linesCards(heading: string, lines: Record<string, unknown>[], maxBytes: number): AdaptiveCard[] {
  const pieces: Record<string, unknown>[][] = [[]];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(JSON.stringify(line));
    const current = pieces[pieces.length - 1] ?? [];
    if (bytes + size > maxBytes && current.length > 0) {
      pieces.push([line]);
      bytes = size;
    } else {
      current.push(line);
      bytes += size;
    }
  }
  return pieces.map((piece, i) => linesCard(i === 0 ? heading : undefined, piece));
}

/** A card of chat lines under a heading of ours: what the bot posts in a handoff's thread. */
export function linesCard(heading: string | undefined, lines: Record<string, unknown>[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [...(heading ? [{ type: 'TextBlock', text: heading, weight: 'Bolder', wrap: true }] : []), ...lines],
    actions: [],
  };
}

export function action(data: CardData, title: string): Record<string, unknown> {
  // Action.Execute (Universal Actions) where Teams supports it; Action.Submit as its fallback.
  return { type: 'Action.Execute', verb: data.kefu, title, data, fallback: { type: 'Action.Submit', title, data } };
}

export function handoffCard(handoff: Handoff, before: readonly TranscriptEntry[]): AdaptiveCard {
  const { context } = handoff;
  const trail = context.trail;
  const facts = [
    { title: '原因', value: REASONS[context.reason] },
    { title: '优先级', value: handoff.priority === 'high' ? '高' : '普通' },
    { title: '语言', value: LANGUAGES[handoff.locale] ?? handoff.locale },
    { title: '渠道', value: CHANNELS[handoff.channel] ?? handoff.channel },
    ...(trail
      ? [
          { title: '所在流程', value: flowLine(trail) },
          { title: '号码验证', value: trail.verified ? '已通过短信验证码验证' : '未验证' },
          ...(trail.maskedPhone ? [{ title: '手机号', value: trail.maskedPhone }] : []),
        ]
      : []),
  ];
  const shown = status(handoff);
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: `转人工 · ${REASONS[context.reason]}`, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: shown.text, color: shown.color, weight: 'Bolder', spacing: 'None', wrap: true },
    { type: 'FactSet', facts: facts.map((fact) => ({ title: fact.title, value: fact.value })) },
  ];
  if (context.misses.length > 0) {
    body.push({ type: 'TextBlock', text: '未能回答的问题', weight: 'Bolder', spacing: 'Medium', wrap: true });
    for (const miss of context.misses) body.push(chatLine({ from: 'user', who: WHO.user, text: miss }, { clipped: true }));
  }
  const lines = before.slice(-CARD_LINES);
  if (lines.length > 0) {
    body.push({ type: 'TextBlock', text: '最近的消息', weight: 'Bolder', spacing: 'Medium', wrap: true });
    for (const line of lines) {
      const files = line.attachments?.length ? ` [附件 ${line.attachments.length}]` : undefined;
      body.push(chatLine({ from: line.from, who: line.agentName ?? WHO[line.from], text: line.text }, { after: files, clipped: true }));
    }
  }
  if (handoff.status === 'active') {
    body.push({ type: 'TextBlock', text: '在本帖中 @Kefu 回复即发给用户（仅限接入的客服）；其他人的回复记为内部备注。@Kefu /resolve 或「结束」结束会话，@Kefu /note … 添加备注。', isSubtle: true, size: 'Small', wrap: true });
  }
  const open = handoff.status === 'queued' || handoff.status === 'active';
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    actions: [...(handoff.status === 'queued' ? [action({ kefu: 'claim', handoff: handoff.id }, '接入 Claim')] : []), ...(open ? [action({ kefu: 'transcript', handoff: handoff.id }, '查看全文 Full transcript')] : [])],
  };
}
