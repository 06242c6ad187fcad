import { ActivityTypes, EventFactory, type Activity, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { ConversationNotice } from '../../domain/handoff';
import { parseSchedule } from './schedule';
import { HandoffService, type HandoffServiceOptions } from './service';
import type { HandoffStore } from './store';

/** What the handoff service needs besides what the configuration says (hours, timeouts, mode). */
export type HandoffParts = Omit<HandoffServiceOptions, 'schedule' | 'queueTimeoutMs' | 'defaultHandleMs' | 'maxChatsPerAgent' | 'timeZone'>;

/**
 * The handoff service as the configuration describes it; `initiateExternal` is used only in
 * external mode (HANDOFF_MODE=external), so callers may always pass it.
 */
export function createHandoffService(config: Config, parts: HandoffParts): HandoffService {
  return new HandoffService({
    ...parts,
    schedule: parseSchedule(config.HANDOFF_HOURS, config.HANDOFF_TIMEZONE),
    queueTimeoutMs: config.HANDOFF_QUEUE_TIMEOUT_S * 1000,
    defaultHandleMs: config.HANDOFF_AVG_HANDLE_S * 1000,
    maxChatsPerAgent: config.AGENT_MAX_CHATS,
    timeZone: config.HANDOFF_TIMEZONE,
    initiateExternal: config.HANDOFF_MODE === 'external' ? parts.initiateExternal : undefined,
  });
}

export interface ProactiveReach {
  adapter: CloudAdapter;
  appId: string;
  /** Where each conversation's reference was stored by its last turn, on any instance. */
  store: Pick<HandoffStore, 'reference'>;
  /** Counts the proactive turn as in flight, so shutdown waits for it. */
  track<T>(work: Promise<T>): Promise<T>;
  /** The bot's own turn for a notice; called late, as the bot is built after the service. */
  notice(context: TurnContext, notice: ConversationNotice): Promise<void>;
}

/**
 * The handoff reaches users from outside their turns: a proactive turn on the stored
 * reference, for notices (agent joined, wrote, resolved …) and, in external mode, for the
 * Bot Framework handoff protocol of contact-centre hubs.
 */
export function proactiveHandoff({ adapter, appId, store, track, notice }: ProactiveReach): Pick<HandoffParts, 'notify' | 'typing' | 'initiateExternal'> {
  const proactive = async (conversation: string, logic: (context: TurnContext) => Promise<void>): Promise<void> => {
    const reference = await store.reference(conversation);
    if (!reference) throw new Error('no conversation reference stored');
    await track(adapter.continueConversationAsync(appId, reference, logic));
  };
  return {
    notify: (conversation, what) => proactive(conversation, (context) => notice(context, what)),
    // Not a turn of the bot's: no lock, no state, just the channel's typing activity.
    typing: (conversation) =>
      proactive(conversation, async (context) => {
        await context.sendActivity({ type: ActivityTypes.Typing });
      }),
    initiateExternal: (conversation, handoff) =>
      proactive(conversation, async (context) => {
        const activities = handoff.transcript.map((entry) => ({
          type: 'message',
          text: entry.text,
          timestamp: new Date(entry.at),
          from: { id: entry.from, name: entry.agentName ?? entry.from, role: entry.from === 'user' ? 'user' : 'bot' },
        })) as Activity[];
        await context.sendActivity(EventFactory.createHandoffInitiation(context, handoff.context, { activities }));
      }),
  };
}

/**
 * Queued chats nobody claims in time expire; checked often enough to be on time. During a
 * store outage the sweep waits for the next tick (the outage itself is logged once).
 * Returns what stops it.
 */
export function sweepHandoffQueue(handoff: Pick<HandoffService, 'sweep'>, config: Config, outage: (error: unknown) => boolean, logger: Logger): () => void {
  const sweeper = setInterval(
    () => void handoff.sweep().catch((error: unknown) => outage(error) || logger.error({ err: error }, 'handoff sweep failed')),
    Math.min(5000, (config.HANDOFF_QUEUE_TIMEOUT_S * 1000) / 2),
  );
  sweeper.unref();
  return () => clearInterval(sweeper);
}
