import { createActor, toPromise, type Actor, type AnyActorRef, type SnapshotFrom } from 'xstate';
import { z } from 'zod';
import { understand } from '../../dialogs/commands';
import type { Reply } from '../../dialogs/reply';
import type { FlowEvent, UserEvent } from '../../dialogs/root/events';
import type { RootMachine } from '../../dialogs/root/machine';
import type { KbSignal } from '../../domain/kbSignal';
import type { Route, RouteContext, Router } from '../../knowledge/route';
import { registrationOfState } from '../../dialogs/flows/registry';
import type { Locale } from '../../knowledge/schema';
import { detectLocale } from '../../knowledge/text';
import { refusedUploads } from '../channels/uploadNotice';
import type { ConversationNotice } from '../../domain/handoff';
import { flowTrail, numbersIn } from '../../dialogs/flowTrail';

/** What arrived from the channel (before interpretation), or from the handoff. */
export type TurnInput =
  | { kind: 'joined' }
  | { kind: 'message'; text?: string; value?: unknown; attachments?: unknown }
  | { kind: 'notice'; notice: ConversationNotice };

/** Which conversation the turn belongs to, and the language its channel says it speaks. */
export interface TurnScope {
  conversation: string;
  channelLocale?: Locale;
  /** Milliseconds since the conversation's previous turn, when there was one. */
  idleMs?: number;
}

/**
 * Files as channels send them; cards and other inline attachments are not files, and only
 * web links count (a `javascript:` URL typed into an activity never reaches an agent's page).
 */
const fileAttachmentsSchema = z
  .array(z.object({ contentType: z.string(), contentUrl: z.string().url().optional(), name: z.string().optional() }).passthrough())
  .catch([])
  .transform((list) =>
    list
      .filter(
        (a): a is typeof a & { contentUrl: string } =>
          typeof a.contentUrl === 'string' && /^https?:\/\//i.test(a.contentUrl) && !a.contentType.startsWith('application/vnd.microsoft.'),
      )
      .map((a) => ({ name: a.name ?? 'file', contentType: a.contentType, url: a.contentUrl })),
  );

export const fileAttachments = (attachments: unknown) => (attachments === undefined ? [] : fileAttachmentsSchema.parse(attachments));

export interface TurnOutcome {
  replies: Reply[];
  signals: KbSignal[];
  /** Flows started or ended in this turn. */
  flows: FlowEvent[];
  /** True when there was no stored conversation: this turn started it. */
  started: boolean;
  /** The machine's persisted snapshot, to be stored with the conversation. */
  snapshot: unknown;
  event: UserEvent['type'];
  locale: Locale;
  route?: Route;
  /** The top-level state the conversation was in before the turn. */
  before: string;
  /** The top-level state the conversation is in after the turn. */
  state: string;
  /** What the bot did with the message, in the conversation sets' words (dialogs/root/events.ts `DidEvent`). */
  did: string[];
  /** The running flow's stage after the turn, if a flow runs. */
  stage?: string;
  /** Numbers the user gave that the flows held during the turn, whole (for the records' subject links; never logged). */
  numbers?: string[];
}

/** Card submissions Kefu's own buttons send (Adaptive Card Action.Submit / messageBack values). */
const cardActionSchema = z.discriminatedUnion('kefu', [
  z.object({ kefu: z.literal('choose'), entryId: z.string().min(1).max(100) }),
  z.object({ kefu: z.literal('feedback'), vote: z.enum(['up', 'down']) }),
]);
/** A card that carries typed text (e.g. an input field named "text"). */
const cardTextSchema = z.object({ text: z.string().max(10000) });

/**
 * What a card click without text said, for the transcript agents read: the text it carried, the
 * vote, or the entry chosen; never an empty line.
 */
export function clickedText(value: unknown): string {
  if (value === undefined) return '';
  const action = cardActionSchema.safeParse(value);
  if (action.success) return action.data.kefu === 'choose' ? `☑ ${action.data.entryId}` : action.data.vote === 'up' ? '👍' : '👎';
  const carried = cardTextSchema.safeParse(value);
  return carried.success ? carried.data.text : '';
}

type RootSnapshot = SnapshotFrom<RootMachine>;
type RootActor = Actor<RootMachine>;

const topState = (value: unknown): string => (typeof value === 'string' ? value : Object.keys(value ?? {})[0] ?? '');

const SETTLE_LIMIT_MS = 20_000;

/** Running promise actors (a flow's I/O) anywhere below `actor`. */
function pendingWork(actor: AnyActorRef): AnyActorRef[] {
  const pending: AnyActorRef[] = [];
  const visit = (ref: AnyActorRef) => {
    const snapshot = ref.getSnapshot() as { status: string; value?: unknown; children?: Record<string, AnyActorRef | undefined> };
    if (snapshot.status === 'active' && !('value' in snapshot)) pending.push(ref);
    for (const child of Object.values(snapshot.children ?? {})) if (child) visit(child);
  };
  visit(actor);
  return pending;
}

/**
 * Waits until the conversation has nothing running: every code sent, account looked up,
 * and the machine moved on, so the snapshot stored at the end of the turn is at rest.
 */
export async function settle(actor: AnyActorRef): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  for (let pending = pendingWork(actor); pending.length > 0; pending = pendingWork(actor)) {
    if (Date.now() > deadline) throw new Error(`turn did not settle within ${SETTLE_LIMIT_MS} ms`);
    await Promise.race(pending.map((ref) => toPromise(ref).catch(() => undefined)));
    // Let the parents take the done events before looking again.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * One turn: restore the conversation's machine from its persisted snapshot, turn the
 * channel input into one machine event (routing text through the shared router), and
 * collect what the machine says, waiting for the flows' I/O to finish. The caller sends
 * the replies and stores the snapshot.
 */
export class TurnRunner {
  constructor(
    private readonly machine: RootMachine,
    private readonly router: Router,
    private readonly defaultLocale: Locale,
    /** A flow untouched this long is over when the user comes back. */
    private readonly flowIdleMs = 30 * 60_000,
    /** Longer messages are not interpreted at all. */
    private readonly maxMessageChars = 2000,
    /** A question the bot asked ("要帮您开始吗？", "您是想问…吗？") is no longer open after this long. */
    private readonly questionIdleMs = 10 * 60_000,
  ) {}

  async run(persisted: unknown, input: TurnInput, scope: TurnScope): Promise<TurnOutcome> {
    const actor = this.restore(persisted, scope);
    const { context, value } = actor.getSnapshot();
    const conversationLocale = context.locale;
    // What was answered last is the context of a follow-up ("那要钱不"), for as long as a question
    // stays open; inside a flow, the flow's subject is, when nothing was answered since.
    const recent = (scope.idleMs ?? 0) <= this.questionIdleMs ? context.topic : undefined;
    const flow = topState(value) === 'inFlow' && context.activeFlow ? registrationOfState(context.activeFlow)?.name : undefined;
    const event = this.toEvent(input, conversationLocale, { ...(recent ? { topic: recent } : {}), ...(flow ? { flow } : {}) });

    const replies: Reply[] = [];
    const signals: KbSignal[] = [];
    const flows: FlowEvent[] = [];
    const did: string[] = [];
    actor.on('did', (e) => did.push(e.what));
    actor.on('reply', (e) => replies.push(e.reply));
    actor.on('signal', (e) => signals.push(e.signal));
    actor.on('flow', ({ flow, event }) => flows.push({ flow, event }));
    actor.start();
    if ((scope.idleMs ?? 0) > this.flowIdleMs && input.kind === 'message') actor.send({ type: 'flow.timeout' });
    if ((scope.idleMs ?? 0) > this.questionIdleMs && input.kind === 'message') actor.send({ type: 'question.lapse' });
    if (scope.idleMs !== undefined && input.kind === 'message') actor.send({ type: 'time.passed', ms: scope.idleMs });
    actor.send(event);
    // Read now as well as after settling: a flow that ends within the turn takes its number with it.
    const numbers = new Set(numbersIn(actor));
    let snapshot: unknown;
    let state: string;
    let stage: string | undefined;
    try {
      await settle(actor);
      for (const number of numbersIn(actor)) numbers.add(number);
      this.noteFlowProgress(actor);
      snapshot = actor.getPersistedSnapshot();
      state = topState(actor.getSnapshot().value);
      stage = state === 'inFlow' ? actor.getSnapshot().context.trail?.stage : undefined;
    } finally {
      actor.stop();
    }
    return {
      replies,
      signals,
      flows,
      started: !persisted,
      snapshot,
      event: event.type,
      locale: 'locale' in event ? event.locale : conversationLocale,
      route: event.type === 'user.message' ? event.route : undefined,
      before: topState(value),
      state,
      did,
      ...(stage ? { stage } : {}),
      ...(numbers.size > 0 ? { numbers: [...numbers] } : {}),
    };
  }

  /** Tells the conversation where its running flow now stands, should a person take over. */
  private noteFlowProgress(actor: RootActor): void {
    const snapshot = actor.getSnapshot();
    const value = snapshot.value;
    const flow = typeof value === 'object' && 'inFlow' in value ? value.inFlow : undefined;
    const child = snapshot.children.flow as AnyActorRef | undefined;
    if (typeof flow === 'string' && child) actor.send({ type: 'flow.progress', trail: flowTrail(flow, child) });
  }

  private restore(persisted: unknown, scope: TurnScope): RootActor {
    const input = { locale: scope.channelLocale ?? this.defaultLocale, conversation: scope.conversation };
    if (persisted) {
      try {
        const actor = createActor(this.machine, { snapshot: persisted as RootSnapshot, input });
        // A snapshot from an older machine version may name states that no longer exist.
        if (actor.getSnapshot().status === 'active') return actor;
      } catch {
        // fall through to a fresh conversation
      }
    }
    return createActor(this.machine, { input });
  }

  private toEvent(input: TurnInput, conversationLocale: Locale, routeContext: RouteContext): UserEvent {
    if (input.kind === 'joined') return { type: 'conversation.joined', locale: conversationLocale };
    if (input.kind === 'notice') return input.notice;
    // Most messages carry no card value: don't pay for a failed parse on every turn.
    const action = input.value === undefined ? undefined : cardActionSchema.safeParse(input.value);
    if (action?.success) {
      if (action.data.kefu === 'choose') return { type: 'user.choose', locale: conversationLocale, entryId: action.data.entryId };
      return { type: 'user.feedback', locale: conversationLocale, vote: action.data.vote };
    }
    const cardText = input.value === undefined ? undefined : cardTextSchema.safeParse(input.value);
    const text = (input.text || (cardText?.success ? cardText.data.text : '')).trim();
    if ([...text].length > this.maxMessageChars) return { type: 'user.tooLong', locale: detectLocale(text.slice(0, 200)) ?? conversationLocale, max: this.maxMessageChars };
    // A file the channel refused is what this message is about, whatever text came with it.
    if (refusedUploads(input.attachments) > 0) return { type: 'user.fileTooLarge', locale: conversationLocale };
    const attachments = fileAttachments(input.attachments);
    if (!text && attachments.length === 0) return { type: 'user.nonText', locale: conversationLocale };
    const understood = understand(text, this.router, conversationLocale, routeContext);
    if (understood.kind === 'feedback') return { type: 'user.feedback', locale: understood.locale, vote: understood.vote };
    if (understood.kind === 'message') {
      const { route, acts, whole, corrected } = understood;
      return { type: 'user.message', locale: route.locale, text, route, acts, whole, corrected, attachments };
    }
    const { command, locale } = understood;
    return command === 'help' ? { type: 'user.help', locale } : { type: 'user.restart', locale };
  }
}
