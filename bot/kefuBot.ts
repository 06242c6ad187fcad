import { ActivityTypes, TeamsActivityHandler, TurnContext, type Activity, type ConversationState, type StatePropertyAccessor } from 'botbuilder';
import { z } from 'zod';
import { localeSchema, type Locale } from '../knowledge/schema';
import { toActivity } from './channels/render';
import { widgetSpeaker, withSpeaker } from './channels/webchat/speaker';
import { clickedText, fileAttachments, type TurnInput, type TurnOutcome, type TurnRunner } from './conversation/turnRunner';
import { turnDecision } from './conversation/turnDecision';
import type { ConversationNotice, TranscriptEntry } from '../domain/handoff';
import type { HandoffService } from './handoff/service';
import type { Metrics } from './metrics';
import { hashId, type Logger } from './logger';
import { maskText } from '../domain/mask';
import type { KbSignalLog } from './storage/kbSignalLog';
import { ConversationBusyError, type TurnLock } from './storage/turnLock';
import type { Limits } from './limits/limits';
import { CLIENT_ADDRESS, withClient } from './limits/turnClient';
import { ENGAGED_PROPERTY } from './storage/stateTtl';
import { messages } from '../dialogs/messages';
import type { InsightsRecorder } from './desk/insights';
import { turnInsights, type InsightsMark } from './desk/turnInsights';
import type { SubjectLinks } from './records/subjectLinks';

export interface KefuBotDeps {
  conversationState: ConversationState;
  runner: TurnRunner;
  signals: KbSignalLog;
  handoff: HandoffService;
  /** One turn per conversation at a time, on every instance. */
  lock: TurnLock;
  metrics: Metrics;
  /** Messages per user (beyond: one polite sentence), and the per-client limits counted inside a turn. */
  limits: Limits;
  logger: Logger;
  /** The language of the sentences said outside a turn (busy, slow down) when the channel names none. */
  defaultLocale: Locale;
  /** Hosts the bot's words may link to (KB_LINK_HOSTS). */
  linkHosts: readonly string[];
  /** The knowledge desk's daily counters (never failing a turn); absent: not counted. */
  insights?: InsightsRecorder;
  /** With DATABASE_URL: links the conversation to the numbers its user gave (never failing a turn). */
  subjects?: Pick<SubjectLinks, 'note'>;
}

/** One key per conversation across channels: what the handoff and its store know it by. */
export function conversationKey(activity: Pick<Activity, 'channelId' | 'conversation'>): string {
  return `${activity.channelId}:${activity.conversation.id}`;
}

/** The user as the channel names them, for the per-user limit. */
const userKey = (activity: Pick<Activity, 'channelId' | 'from' | 'conversation'>) => `${activity.channelId}:${activity.from?.id ?? activity.conversation.id}`;

const handoffStatusSchema = z.object({ state: z.enum(['accepted', 'completed', 'failed']) });

/** What may be kept of a line of the conversation: never a code, numbers masked. */
const TRANSCRIPT_LINE_CHARS = 4000;
const REFERENCE_REFRESH_MS = 3600_000;
const forTranscript = (text: string) => maskText(text.length > TRANSCRIPT_LINE_CHARS ? `${text.slice(0, TRANSCRIPT_LINE_CHARS)}…` : text);

/** Reads the channel's locale tag ("zh-cn", "en", "en-GB" …) as one of ours, if it is one. */
export function channelLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en-US';
  return localeSchema.safeParse(tag).success ? (tag as Locale) : undefined;
}

/**
 * The Bot Framework edge: turns activities into turn inputs, runs them, sends the replies
 * and saves the conversation. If anything throws, nothing is saved, so the conversation
 * continues from where it was before the failed turn. Teams specifics: the @mention of the
 * bot is not part of what the user said, and installing the app in a personal chat is
 * when the user meets the bot.
 */
export class KefuBot extends TeamsActivityHandler {
  private readonly snapshot: StatePropertyAccessor<unknown>;
  private readonly lastTurnAt: StatePropertyAccessor<number | undefined>;
  private readonly referenceSaved: StatePropertyAccessor<{ route: string; at: number } | undefined>;
  private readonly engaged: StatePropertyAccessor<boolean | undefined>;
  private readonly insightsMark: StatePropertyAccessor<InsightsMark | undefined>;

  constructor(private readonly deps: KefuBotDeps) {
    super();
    this.snapshot = deps.conversationState.createProperty<unknown>('kefu.root');
    this.lastTurnAt = deps.conversationState.createProperty<number | undefined>('kefu.lastTurnAt');
    this.referenceSaved = deps.conversationState.createProperty<{ route: string; at: number } | undefined>('kefu.referenceSaved');
    this.engaged = deps.conversationState.createProperty<boolean | undefined>(ENGAGED_PROPERTY);
    this.insightsMark = deps.conversationState.createProperty<InsightsMark | undefined>('kefu.insights');
    this.onMessage(async (context, next) => {
      const text = typeof context.activity.text === 'string' ? TurnContext.removeRecipientMention(context.activity) : undefined;
      await this.turn(context, { kind: 'message', text, value: context.activity.value, attachments: context.activity.attachments });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((member) => member.id !== botId);
      // In Teams a user "joins" by installing the app; that arrives as installationUpdate.
      if (joined && context.activity.channelId !== 'msteams') await this.turn(context, { kind: 'joined' });
      await next();
    });
    // The external hub's answer to handoff.initiate (HANDOFF_MODE=external).
    this.onEvent(async (context, next) => {
      const status = handoffStatusSchema.safeParse(context.activity.value);
      if (context.activity.name === 'handoff.status' && status.success) {
        const notice = await deps.handoff.externalStatus(conversationKey(context.activity), status.data.state);
        if (notice) await this.turn(context, { kind: 'notice', notice });
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.conversation?.conversationType === 'personal') await this.turn(context, { kind: 'joined' });
      await next();
    });
  }

  /**
   * A turn holds its conversation's lock from loading the state to saving it, so turns of
   * one conversation (messages, agent replies, queue notices) never interleave. A message
   * that cannot get the lock in time is not lost silently: the user is asked to resend it.
   */
  override async run(context: TurnContext): Promise<void> {
    // The per-client limits inside the turn (codes, handoffs) count the address the HTTP layer
    // saw; where there is none (an authenticated channel), the user the channel vouches for.
    const address = context.turnState.get(CLIENT_ADDRESS) as string | undefined;
    await withClient(address ?? `user:${userKey(context.activity)}`, () => this.guardedRun(context));
  }

  private async guardedRun(context: TurnContext): Promise<void> {
    // The user typing is no turn: the agent who has the chat is told, nothing is loaded or saved.
    if (context.activity.type === ActivityTypes.Typing) return this.deps.handoff.userTyping(conversationKey(context.activity));
    if (await this.overLimit(context)) return;
    try {
      await this.locked(context, () => super.run(context));
    } catch (error) {
      if (!(error instanceof ConversationBusyError) || context.activity.type !== 'message') throw error;
      this.deps.logger.warn({ conversation: hashId(context.activity.conversation.id) }, 'conversation busy: message not handled');
      await context.sendActivity(messages(this.localeOf(context.activity)).busy);
    }
  }

  /** Runs a turn under its conversation's lock and saves the state before letting go. */
  private locked(context: TurnContext, turn: () => Promise<void>): Promise<void> {
    return this.deps.lock.run(conversationKey(context.activity), async () => {
      await turn();
      await this.deps.conversationState.saveChanges(context, false);
    });
  }

  private localeOf(activity: Pick<Activity, 'locale'>): Locale {
    return channelLocale(activity.locale) ?? this.deps.defaultLocale;
  }

  /** Too many messages from one user: told once per window, the rest are not handled. */
  private async overLimit(context: TurnContext): Promise<boolean> {
    const { activity } = context;
    if (activity.type !== 'message') return false;
    const admission = await this.deps.limits.take('messages-per-user', userKey(activity));
    if (admission.allowed) return false;
    if (admission.reason === 'over' && admission.first) await context.sendActivity(messages(this.localeOf(activity)).slowDown);
    return true;
  }

  /**
   * Something that happened to this conversation from outside (an agent joined, wrote,
   * resolved; the queue moved), run as a turn of its own inside a proactive context.
   */
  async notice(context: TurnContext, notice: ConversationNotice): Promise<void> {
    await this.locked(context, () => this.turn(context, { kind: 'notice', notice }));
  }

  private count(outcome: TurnOutcome, channel: string, ms: number): void {
    const { metrics } = this.deps;
    metrics.turn(channel, outcome.event, ms / 1000);
    if (outcome.started) metrics.conversationStarted();
    const decision = turnDecision(outcome);
    if (decision) metrics.decision(decision);
    for (const signal of outcome.signals) if (signal.kind === 'feedback') metrics.feedback(signal.vote);
    for (const flow of outcome.flows) metrics.flow(flow.flow, flow.event);
  }

  /** The turn's share of the knowledge desk's daily counters. */
  private async countDaily(context: TurnContext, input: TurnInput, outcome: TurnOutcome): Promise<void> {
    const { insights } = this.deps;
    if (!insights) return;
    // A conversation counts from the user's first message: a widget opened and left unused
    // was answered by nobody, and would flatter the share the bot answered alone.
    const facts = {
      started: input.kind === 'message' && !(await this.engaged.get(context)),
      decision: turnDecision(outcome),
      votes: outcome.signals.flatMap((signal) => (signal.kind === 'feedback' ? [signal.vote] : [])),
      personJoined: input.kind === 'notice' && input.notice.type === 'handoff.claimed',
    };
    const mark = await this.insightsMark.get(context);
    const counted = turnInsights(facts, mark, Date.now());
    if (counted.events.length === 0) return;
    if (counted.mark !== mark) await this.insightsMark.set(context, counted.mark);
    for (const event of counted.events) await insights.record(event);
  }

  /**
   * Where to reach this conversation later, from whichever instance an agent is on. Written
   * when the conversation starts, when the channel's address or language changes, and once
   * an hour so it outlives idle periods — not on every turn.
   */
  private async keepReference(context: TurnContext, key: string): Promise<void> {
    const { serviceUrl, locale } = context.activity;
    // A digest, not the address itself: it is only compared, and every conversation's state keeps it.
    const route = hashId(`${serviceUrl}|${locale ?? ''}`);
    const saved = await this.referenceSaved.get(context);
    if (saved && saved.route === route && Date.now() - saved.at < REFERENCE_REFRESH_MS) return;
    await this.deps.handoff.saveReference(key, TurnContext.getConversationReference(context.activity));
    await this.referenceSaved.set(context, { route, at: Date.now() });
  }

  private userLine(input: Extract<TurnInput, { kind: 'message' }>): TranscriptEntry {
    const attachments = fileAttachments(input.attachments);
    return { at: Date.now(), from: 'user', text: forTranscript(input.text || clickedText(input.value)), ...(attachments.length > 0 ? { attachments } : {}) };
  }

  private async turn(context: TurnContext, input: TurnInput): Promise<void> {
    const started = performance.now();
    const key = conversationKey(context.activity);
    const { handoff } = this.deps;
    if (input.kind !== 'notice') await this.keepReference(context, key);
    // What the user wrote is kept before anything can go wrong (a handoff opened in this
    // turn hands it on); the bot's lines follow in one write at the end.
    const heard = input.kind === 'message' ? [this.userLine(input)] : [];
    const [persisted, lastTurnAt] = await Promise.all([this.snapshot.get(context), this.lastTurnAt.get(context), handoff.record(key, heard)]);
    const outcome = await this.deps.runner.run(persisted, input, {
      conversation: key,
      channelLocale: channelLocale(context.activity.locale),
      idleMs: lastTurnAt === undefined ? undefined : Date.now() - lastTurnAt,
    });
    await this.deps.subjects?.note(key, outcome.numbers);
    const destination = { channelId: context.activity.channelId, conversationType: context.activity.conversation.conversationType, locale: outcome.locale, linkHosts: this.deps.linkHosts };
    const fromAgent = input.kind === 'notice' && input.notice.type === 'agent.message' ? input.notice : undefined;
    // Teams shows the bot's own name on every line; only the web chat widget is told who speaks.
    const speaker = context.activity.channelId === 'msteams' ? undefined : widgetSpeaker(input.kind === 'notice' ? input.notice : undefined, outcome.state);
    const said: TranscriptEntry[] = [];
    try {
      for (const reply of outcome.replies) {
        await context.sendActivity(withSpeaker(toActivity(reply, destination), speaker));
        said.push(
          fromAgent
            ? { at: Date.now(), from: 'agent', agentName: fromAgent.agentName, text: forTranscript(fromAgent.text) }
            : { at: Date.now(), from: 'bot', text: forTranscript(reply.text) },
        );
      }
    } finally {
      await handoff.record(key, said);
    }
    const conversation = hashId(context.activity.conversation.id);
    for (const signal of outcome.signals) await this.deps.signals.append(signal, conversation);
    this.count(outcome, context.activity.channelId, performance.now() - started);
    await this.countDaily(context, input, outcome);
    await this.snapshot.set(context, outcome.snapshot);
    if (input.kind !== 'notice') await this.lastTurnAt.set(context, Date.now());
    // The user has written: the conversation now lives the full STATE_TTL_S.
    if (input.kind === 'message') await this.engaged.set(context, true);
    const decision = turnDecision(outcome);
    const routed = decision === outcome.route?.decision ? outcome.route : undefined;
    this.deps.logger.info(
      {
        conversation,
        channel: context.activity.channelId,
        event: outcome.event,
        state: outcome.state,
        locale: outcome.locale,
        decision,
        // The router's reading only when the bot acted on it: "不用了" is no clarification of some entry.
        entry: routed && 'entryId' in routed ? routed.entryId : undefined,
        flow: routed?.decision === 'flow' ? routed.flow : undefined,
        score: routed?.results[0]?.score,
        latencyMs: Math.round(performance.now() - started),
      },
      'turn',
    );
  }
}
