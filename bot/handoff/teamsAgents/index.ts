import { TurnContext, type Activity } from 'botbuilder';
import type { Handoff, Ticket, TranscriptEntry } from '../../../domain/handoff';
import { hashId, type Logger } from '../../logger';
import { isLead, type AgentDirectory } from '../agents';
import { textSchema } from '../routes';
import type { Agent, HandoffChange, HandoffService, Refusal } from '../service';
import type { AgentsChannel, HandoffStore } from '../store';
import { CARD_CONTENT_TYPE, chatLine, handoffCard, linesCard, linesCards, type AdaptiveCard, type CardData } from './card';
import { cardAction, channelOf, parseAgentText } from './commands';
import { dutyWords, type DutyWords } from './dutyWords';
import { ticketCard } from './ticketCard';
import type { StaffActions } from '../../records/staffActions';
import type { TeamsThreads } from './threads';

/**
 * Microsoft Teams as a second agent surface beside the console: every handoff is a card in
 * the agents' channel, updated in place as it is claimed and closed; the thread under it
 * carries the chat (the user's lines in, the claiming agent's replies out). Activities from
 * the agents' channel come here and never reach the user-side bot.
 */

export interface TeamsAgentsDeps {
  service: HandoffService;
  store: Pick<HandoffStore, 'agentsChannel' | 'saveAgentsChannel' | 'teamsCard' | 'saveTeamsCard' | 'handoffOfThread' | 'get' | 'tickets'>;
  agents: Pick<AgentDirectory, 'byTeamsUser'>;
  threads: TeamsThreads;
  /** AGENT_TEAMS_CONVERSATION and its service URL and tenant, when configured. */
  configured?: AgentsChannel;
  /** AGENT_TEAMS_TENANT_ID: agents' activities from any other tenant are refused. */
  tenantId?: string;
  /** HANDOFF_PRESENCE_S: an agent acting in Teams counts as online this long. */
  presenceMs: number;
  logger: Logger;
  /** The audit log of what agents do (ids only); absent: not kept. */
  staff?: Pick<StaffActions, 'record'>;
}

type Lang = 'zh' | 'en';
const SAY = {
  zh: {
    noIdentity: '无法确认您的 Teams 身份（缺少 aadObjectId），操作未执行。',
    notAgent: '您不是客服（不在 AGENTS_FILE 中），不能处理转人工的会话。',
    noChat: '找不到这个会话，操作未执行。',
    closed: '这个会话已经结束。',
    taken: (name: string) => `这个会话已由 ${name} 接入。`,
    notYours: (name: string) => `这个会话由 ${name} 处理，您不能结束它。`,
    atLimit: '您同时处理的会话已达上限（AGENT_MAX_CHATS），请先结束一个。',
    claimed: (name: string) => `${name} 已接入，在本帖中 @Kefu 回复即发给用户。`,
    resolved: '会话已结束，已请用户评分。',
    noted: '已记为内部备注（仅客服可见），不会发给用户。',
    queuedNote: '已记为内部备注。先点「接入」才能回复用户。',
    notDelivered: '消息未能送达用户，请重试。',
    tooLong: '消息超过 2000 字，未发送，请分几条发送。',
    noThread: '请在某个转人工会话的帖子中 @Kefu 回复；/resolve 或「结束」结束会话，/note … 添加备注。值班：@Kefu 上班 / 下班。',
    ticketThread: '这是留言工单的帖子，消息不会发给用户。联系用户后点卡片上的「已联系」。',
    contacted: (name: string) => `${name} 已联系用户，这条留言已关闭。`,
    ticketClosed: '这条留言已经标记为已联系。',
    noTicket: '找不到这条留言，操作未执行。',
    here: '好的，之后转人工的会话会发到这个频道。',
    hereChannelOnly: '请在团队的频道中使用这个命令（群聊没有分帖，无法按会话回复）。',
    hereLeadOnly: '只有组长（AGENTS_FILE 中 role: lead）可以设置客服频道，频道没有更改。',
    transcript: '对话全文：',
    transcriptPosted: '已在帖子中贴出对话全文。',
    transcriptNoThread: '找不到这个会话的帖子，请在客服控制台查看对话全文。',
    who: { user: '用户', bot: '机器人', agent: '客服' } as Record<TranscriptEntry['from'], string>,
    file: (name: string) => `［文件：${name}，请在客服控制台查看］`,
  },
  en: {
    noIdentity: 'Your Teams identity could not be confirmed (no aadObjectId); nothing was done.',
    notAgent: 'You are not an agent (not in AGENTS_FILE), so you cannot take handed-off chats.',
    noChat: 'That chat does not exist; nothing was done.',
    closed: 'That chat is already over.',
    taken: (name: string) => `${name} has already claimed that chat.`,
    notYours: (name: string) => `${name} has this chat; you cannot resolve it.`,
    atLimit: 'You have as many chats as you may have at once (AGENT_MAX_CHATS); resolve one first.',
    claimed: (name: string) => `${name} claimed the chat; replies in this thread that mention @Kefu go to the user.`,
    resolved: 'Chat resolved; the user was asked for a rating.',
    noted: 'Kept as a private note (agents only); not sent to the user.',
    queuedNote: 'Kept as a private note. Claim the chat first to reply to the user.',
    notDelivered: 'The message could not be delivered to the user; please try again.',
    tooLong: 'The message is longer than 2000 characters and was not sent; please split it.',
    noThread: 'Reply in the thread of a handed-off chat, mentioning @Kefu; /resolve (or 结束) resolves it, /note … adds a note. On duty: @Kefu on duty / off duty.',
    ticketThread: 'This is the thread of a message a user left; nothing here reaches the user. Press Contacted on the card once you have called them.',
    contacted: (name: string) => `${name} contacted the user; the message is closed.`,
    ticketClosed: 'That message is already marked as contacted.',
    noTicket: 'That message does not exist; nothing was done.',
    here: 'Done: handed-off chats will be posted to this channel from now on.',
    hereChannelOnly: 'Use this command in a team channel (a group chat has no threads to reply in).',
    hereLeadOnly: "Only a lead (role: lead in AGENTS_FILE) may choose the agents' channel; it was not changed.",
    transcript: 'Full transcript:',
    transcriptPosted: 'The full transcript is posted in the thread.',
    transcriptNoThread: "This chat's thread was not found; read the full transcript in the agent console.",
    who: { user: 'User', bot: 'Bot', agent: 'Agent' } as Record<TranscriptEntry['from'], string>,
    file: (name: string) => `[file: ${name} — open it in the agent console]`,
  },
};
type Words = (typeof SAY)['zh'];

const langOf = (activity: Pick<Activity, 'locale'>): Lang => (activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'zh');
/** The full transcript is posted in cards Teams accepts (its limit is about 28 KB a message). */
const TRANSCRIPT_CARD_BYTES = 16_000;
/** A ticket's card is kept beside the handoffs' under this prefix: its thread is then known as a ticket's. */
const TICKET = 'ticket:';

export class TeamsAgents {
  /** Work on each handoff's card and thread, in order, on this instance. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: TeamsAgentsDeps) {}

  /** Follows the handoffs changed on this instance; returns what stops it. */
  start(): () => void {
    return this.deps.service.watch((change) =>
      change.type === 'ticket' ? this.enqueue(TICKET + change.ticket.id, () => this.followTicket(change.ticket, change.by)) : this.enqueue(change.handoff.id, () => this.follow(change)),
    );
  }

  private enqueue(id: string, work: () => Promise<void>): void {
    const next = (this.queues.get(id) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, handoff: id }, 'Teams agents channel not updated'));
    this.queues.set(id, next);
    void next.then(() => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    });
  }

  private async channel(): Promise<AgentsChannel | undefined> {
    return (await this.deps.store.agentsChannel()) ?? this.deps.configured;
  }

  private async card(handoff: Handoff): Promise<AdaptiveCard> {
    const chat = await this.deps.service.chat(handoff.id);
    return handoffCard(handoff, (chat?.transcript ?? []).filter((line) => line.at < handoff.createdAt));
  }

  /** A ticket left is a card of its own in the channel; closed (by 已联系 or in the console), the card says so. */
  private async followTicket(ticket: Ticket, by?: Agent): Promise<void> {
    if (ticket.status === 'open') {
      const channel = await this.channel();
      if (!channel) return;
      const posted = await this.deps.threads.postCard(channel, ticketCard(ticket));
      await this.deps.store.saveTeamsCard(TICKET + ticket.id, posted);
      // Closed (on any instance) while the card was on its way.
      const now = (await this.deps.store.tickets()).find((t) => t.id === ticket.id);
      if (now?.status === 'done') await this.deps.threads.updateCard(posted, ticketCard(now));
      return;
    }
    const card = await this.deps.store.teamsCard(TICKET + ticket.id);
    if (card) await this.deps.threads.updateCard(card, ticketCard(ticket, by?.name));
  }

  private async follow(change: Exclude<HandoffChange, { type: 'ticket' }>): Promise<void> {
    const { handoff } = change;
    if (change.type === 'queued') {
      const channel = await this.channel();
      if (!channel) return;
      const posted = await this.deps.threads.postCard(channel, await this.card(handoff));
      await this.deps.store.saveTeamsCard(handoff.id, posted);
      // Claimed or closed (on any instance) while the card was on its way: show that at once.
      const now = await this.deps.store.get(handoff.id);
      if (now && now.status !== 'queued') await this.deps.threads.updateCard(posted, await this.card(now));
      return;
    }
    const card = await this.deps.store.teamsCard(handoff.id);
    if (!card) return;
    if (change.type === 'recorded') {
      for (const entry of change.entries) {
        const lines = entry.from === 'user' ? this.userLines(entry, SAY.zh) : [];
        if (lines.length > 0) await this.deps.threads.show(card, linesCard(undefined, lines));
      }
      return;
    }
    // The record as it is now, not as this change left it: of two quick changes on two
    // instances, whichever update lands last still shows the newest state.
    await this.deps.threads.updateCard(card, await this.card((await this.deps.store.get(handoff.id)) ?? handoff));
  }

  /** A user's message relayed into the thread: their line, then one line per file (whose name they chose). */
  private userLines(line: TranscriptEntry, say: Words): Record<string, unknown>[] {
    const files = (line.attachments ?? []).map((file) => chatLine({ from: 'user', who: say.who.user, text: say.file(file.name) }));
    return [...(line.text.trim() ? [chatLine({ from: 'user', who: say.who.user, text: line.text })] : []), ...files];
  }

  /**
   * Whether the activity is the agents' business: anything in the agents' channel (and its
   * threads), and the command that makes a channel the agents' one.
   */
  async handles(activity: Activity): Promise<boolean> {
    if (activity.channelId !== 'msteams' || typeof activity.conversation?.id !== 'string') return false;
    const channel = await this.channel();
    if (channel && channelOf(activity.conversation.id) === channel.conversation) return true;
    return activity.type === 'message' && activity.conversation.conversationType !== 'personal' && parseAgentText(this.textOf(activity)).kind === 'here';
  }

  private textOf(activity: Activity): string | undefined {
    return typeof activity.text === 'string' ? TurnContext.removeRecipientMention(activity) : undefined;
  }

  /** One activity from the agents' side: the agent is who Teams says, mapped through AGENTS_FILE. */
  async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    const say = SAY[langOf(activity)];
    const button = cardAction(activity);
    const isInvoke = activity.type === 'invoke';
    const answer = async (text: string, card?: AdaptiveCard) => {
      if (isInvoke) {
        const body = card ? { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } : { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text };
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body } });
        // Universal Actions show a card answer only to the clicker: the thread hears it too.
        if (card) await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
      } else await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
    };
    if (isInvoke && !button) {
      // Invokes we do not serve (other card kinds, app-based link unfurling): an empty answer, never the user-side bot.
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: {} } });
      return;
    }
    if (activity.type !== 'message' && !isInvoke) return;
    const tenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
    const aad = activity.from?.aadObjectId;
    if (!aad) {
      this.deps.logger.warn({ conversation: hashId(activity.conversation.id) }, 'Teams agent activity without aadObjectId refused');
      return answer(say.noIdentity);
    }
    const agent = this.deps.tenantId && tenant !== this.deps.tenantId ? undefined : this.deps.agents.byTeamsUser(aad);
    if (!agent) {
      this.deps.logger.warn({ user: hashId(aad) }, 'Teams user who is not an agent refused');
      return answer(say.notAgent);
    }
    const command = parseAgentText(this.textOf(activity));
    if (command.kind === 'duty') return answer(await this.duty(command.on, agent, dutyWords(langOf(activity))));
    await this.deps.service.agentOnline(agent, this.deps.presenceMs);
    if (button) return this.press(button, agent, say, answer);
    // Where every handed-off chat goes is a lead's choice: an agent could otherwise move them all out of sight.
    if (command.kind === 'here') return answer(isLead(agent) ? await this.choose(activity, say) : say.hereLeadOnly);
    const id = await this.deps.store.handoffOfThread(activity.conversation.id);
    if (!id || command.kind === 'empty') return answer(say.noThread);
    if (id.startsWith(TICKET)) return answer(say.ticketThread);
    await this.write(id, agent, command, say, answer);
  }

  /** 上班 / 下班 anywhere in the agents' channel; 下班 also ends the presence acting there gave. */
  private async duty(on: boolean, agent: Agent, say: DutyWords): Promise<string> {
    if (!on) {
      await this.deps.service.goOffDuty(agent);
      return say.off;
    }
    const started = await this.deps.service.goOnDuty(agent);
    if (!started.onDuty) return say.closed(this.deps.service.hours(say.locale));
    return started.until === null ? say.onAlways : say.onUntil(started.until, this.deps.service.timeZone);
  }

  /** `kefu agents here`: this channel, as Teams names it, becomes the agents' one. */
  private async choose(activity: Activity, say: Words): Promise<string> {
    const data = activity.channelData as { channel?: { id?: unknown }; tenant?: { id?: unknown } } | undefined;
    if (activity.conversation.conversationType !== 'channel') return say.hereChannelOnly;
    const conversation = typeof data?.channel?.id === 'string' ? data.channel.id : channelOf(activity.conversation.id);
    const tenantId = typeof data?.tenant?.id === 'string' ? data.tenant.id : undefined;
    await this.deps.store.saveAgentsChannel({ conversation, serviceUrl: activity.serviceUrl, ...(tenantId ? { tenantId } : {}) });
    this.deps.logger.info({ channel: hashId(conversation) }, "Teams agents' channel chosen");
    return say.here;
  }

  private refusal(refusal: Refusal, handoff: Handoff | undefined, say: Words): string {
    const name = handoff?.agentName ?? handoff?.agentId ?? '';
    const words: Record<Refusal, string> = { 'not-found': say.noChat, closed: say.closed, taken: say.taken(name), 'not-yours': say.notYours(name), 'at-limit': say.atLimit };
    return words[refusal];
  }

  private async press(button: CardData, agent: Agent, say: Words, answer: (text: string, card?: AdaptiveCard) => Promise<void>): Promise<void> {
    if (button.kefu === 'contacted') {
      const closed = await this.deps.service.closeTicket(button.ticket, agent);
      if (closed.ok) void this.deps.staff?.record(agent.id, 'ticket.close', button.ticket, { from: 'teams' });
      if (!closed.ok) return answer(closed.refusal === 'closed' ? say.ticketClosed : say.noTicket);
      // The card in the channel is updated by the change the close made; the clicker also gets it back.
      return answer(say.contacted(agent.name), ticketCard(closed.value, agent.name));
    }
    if (button.kefu === 'transcript') {
      const chat = await this.deps.service.chat(button.handoff);
      if (!chat || chat.handoff.external) return answer(say.noChat);
      const card = await this.deps.store.teamsCard(button.handoff);
      // The user's words go into Teams only as a card in the chat's own thread (chatLine), never as an answer's text.
      if (!card) return answer(say.transcriptNoThread);
      const lines = chat.transcript.map((entry) => chatLine({ from: entry.from, who: entry.agentName ?? say.who[entry.from], text: entry.text }));
      for (const piece of linesCards(say.transcript, lines, TRANSCRIPT_CARD_BYTES)) await this.deps.threads.show(card, piece);
      return answer(say.transcriptPosted);
    }
    const claimed = await this.deps.service.claim(button.handoff, agent);
    if (claimed.ok) void this.deps.staff?.record(agent.id, 'chat.claim', button.handoff, { from: 'teams' });
    if (!claimed.ok) return answer(this.refusal(claimed.refusal, await this.deps.store.get(button.handoff), say));
    // The card in the channel is updated by the change the claim made (follow); the clicker also gets it back.
    return answer(say.claimed(agent.name), await this.card(claimed.value));
  }

  /** A message in a chat's thread: the claimant's goes to the user, anyone else's is a note. */
  private async write(id: string, agent: Agent, command: Exclude<ReturnType<typeof parseAgentText>, { kind: 'here' | 'empty' | 'duty' }>, say: Words, answer: (text: string) => Promise<void>): Promise<void> {
    const handoff = await this.deps.store.get(id);
    if (!handoff) return answer(say.noChat);
    if (handoff.status !== 'queued' && handoff.status !== 'active') return answer(say.closed);
    if (command.kind === 'resolve') {
      const resolved = await this.deps.service.resolve(id, agent);
      if (resolved.ok) void this.deps.staff?.record(agent.id, 'chat.resolve', id, { from: 'teams' });
      return answer(resolved.ok ? say.resolved : this.refusal(resolved.refusal, handoff, say));
    }
    const text = textSchema.safeParse({ text: command.text });
    if (!text.success) return answer(say.tooLong);
    if (command.kind === 'say' && handoff.status === 'active' && handoff.agentId === agent.id) {
      try {
        const sent = await this.deps.service.reply(id, agent, text.data.text);
        if (!sent.ok) return answer(this.refusal(sent.refusal, handoff, say));
      } catch (error) {
        this.deps.logger.error({ err: error, handoff: id }, 'agent message from Teams not delivered');
        return answer(say.notDelivered);
      }
      return;
    }
    const noted = await this.deps.service.note(id, agent, text.data.text, 'team');
    if (noted.ok) void this.deps.staff?.record(agent.id, 'chat.note', id, { from: 'teams' });
    if (!noted.ok) return answer(this.refusal(noted.refusal, handoff, say));
    return answer(handoff.status === 'queued' && command.kind === 'say' ? say.queuedNote : say.noted);
  }
}
