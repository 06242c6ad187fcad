import type { ConversationNotice, FlowTrail, HandoffReason, Priority } from '../../domain/handoff';
import type { KbSignal } from '../../domain/kbSignal';
import type { FlowName, Locale } from '../../knowledge/schema';
import type { FlowMessageEvent, FlowOutcome, FlowProgress } from '../flows/protocol';
import type { Reply } from '../reply';

/** The conversation's protocol: what it hears, what it keeps, what it emits. bot/ imports these. */

export type UserEvent =
  | { type: 'conversation.joined'; locale: Locale }
  | FlowMessageEvent
  | { type: 'user.choose'; locale: Locale; entryId: string }
  | { type: 'user.feedback'; locale: Locale; vote: 'up' | 'down' }
  | { type: 'user.help'; locale: Locale }
  | { type: 'user.restart'; locale: Locale }
  | { type: 'user.nonText'; locale: Locale }
  /** Longer than the configured cap: answered with one sentence, nothing else changes. */
  | { type: 'user.tooLong'; locale: Locale; max: number }
  /** A file over the upload limit, which the channel did not take: the limit in one sentence, nothing else changes. */
  | { type: 'user.fileTooLarge'; locale: Locale }
  | ConversationNotice
  | FlowProgress
  /** The conversation was idle longer than a flow may wait. */
  | { type: 'flow.timeout' }
  /** The conversation was idle longer than a question the bot asked stays open. */
  | { type: 'question.lapse' }
  /** The user wrote again this long after their previous message (the last flow's result ages). */
  | { type: 'time.passed'; ms: number };

/** A guided flow started or ended (for metrics). */
export type FlowEvent = { flow: string; event: 'started' | 'completed' | 'abandoned' | 'handed_off' };

/**
 * What the bot did with a message, in the words the conversation sets use (an entry id,
 * `flow:unlock`, `handoff`, `offer-handoff`, `confirm:<id>`, `thanks`, `switch:flow:unlock` …):
 * for `kb eval` and the turn metrics. Messages a flow takes as its step's answer say nothing.
 */
export type DidEvent = { type: 'did'; what: string };

export type RootEmitted = { type: 'reply'; reply: Reply } | { type: 'signal'; signal: KbSignal } | ({ type: 'flow' } & FlowEvent) | DidEvent;

export interface RootContext {
  /** The conversation's key with the handoff service. */
  conversation: string;
  locale: Locale;
  /** "I don't know" answers in a row; the second one offers a person. */
  fallbackStreak: number;
  /** What the 👍/👎 buttons under the last answer refer to; `askedAgain` once thanks brought the question back. */
  lastAnswer?: { entryId: string; question: string; askedAgain?: boolean };
  /** The entry answered last: what "再说一遍" repeats and what a follow-up ("那要几天") is read with. */
  topic?: string;
  /** What the last answer offered to start, a flow or a person: "好的" takes it. */
  offer?: FlowName | 'handoff';
  /** "您是想问…吗？": the entry asked about, the user's words, and the next candidates. */
  confirm?: { entryId: string; question: string; others: string[] };
  /** Inside a flow, the user seemed to want another flow or a person: asked once whether to switch. */
  switchTo?: FlowName | 'handoff';
  /** The options of an open "您是想问…". */
  clarify?: { question: string; options: { id: string; question: string }[] };
  /** How the last guided flow ended. */
  flowOutcome?: FlowOutcome;
  /** The guided flow running now. */
  activeFlow?: string;
  /** Where the running flow stands, for an agent who takes over. */
  trail?: FlowTrail;
  /**
   * The result of the flow that ended last (finished or cancelled), and how long ago in the
   * user's time: a person asked for soon after still sees which flow, verified or not, the number.
   */
  lastFlow?: { trail: FlowTrail; ageMs: number };
  /** A step of the running flow got three invalid answers in a row: a person is on offer. */
  offeredPerson?: boolean;
  /** Questions the bot could not answer, masked, newest last (the agent sees them). */
  misses: string[];
  /** Why a person is being offered or asked for. */
  handoff?: { reason: HandoffReason; priority: Priority };
  agentName?: string;
  /** The number a message left for the team should be answered on, while it is written. */
  contact?: string;
}

