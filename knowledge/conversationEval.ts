import { z } from 'zod';
import YAML from 'yaml';

/**
 * Conversations as the evaluation sets write them (knowledge/eval/conversations/*.yaml): user
 * turns with what the bot must do in reply to each, and how what it did is scored. Pure: the
 * turns are played through the real conversation core by bot/kb/conversationEval.ts.
 *
 * `expect` words: an entry id (answered), `flow:<name>` (started), `handoff`, `offer-handoff`,
 * `fallback`, `thanks`, `goodbye`, `greet`, `repeat`, `not-understood`, `bot-challenge`,
 * `declined`, inside a flow `step`, `invalid`, `cancelled`, `switch:flow:<name>`,
 * `switch:handoff`, `step-again`; `also: <id>` for the second question of a message.
 */

const turnSchema = z.object({ user: z.string().min(1), expect: z.string().min(1), also: z.string().min(1).optional() }).strict();
const conversationSchema = z.object({ id: z.string().min(1), kind: z.string().min(1), turns: z.array(turnSchema).min(1) }).strict();
export const conversationSetSchema = z.array(conversationSchema);
export type ScriptedConversation = z.infer<typeof conversationSchema>;
export type ScriptedTurn = z.infer<typeof turnSchema>;

export function parseConversationSet(text: string): ScriptedConversation[] {
  return conversationSetSchema.parse(YAML.parse(text) ?? []);
}

/** What the bot did in one turn, as the runner saw it. */
export interface TurnSeen {
  /** The machine's own account (dialogs/root/events.ts `DidEvent`), in order. */
  did: readonly string[];
  /** Whether a flow was running before the turn and after it, and its stage. */
  inFlowBefore: boolean;
  inFlowAfter: boolean;
  stageBefore?: string;
  stageAfter?: string;
  /** The top-level state after the turn (requestingHuman, withHuman …). */
  stateAfter: string;
  /** The buttons offered, for `also`. */
  buttons: readonly string[];
}

/** The label a turn earns: the machine's first word, else what became of the running flow. */
export function labelOf(seen: TurnSeen): string {
  const [first] = seen.did;
  if (first !== undefined) return first;
  if (seen.inFlowBefore) {
    if (!seen.inFlowAfter) return ['requestingHuman', 'withHuman', 'offeringMessage'].includes(seen.stateAfter) ? 'handoff' : 'step';
    return seen.stageAfter !== seen.stageBefore ? 'step' : 'invalid';
  }
  return 'none';
}

/** What the bot did, judged against what the set expects. */
export interface TurnVerdict {
  got: string;
  /** Right as it stands. */
  strict: boolean;
  /** Right after one more yes from the user: "您是想问「X」吗？" or a list holding the expected entry, a person offered where one was asked for. */
  lenient: boolean;
  /** Answered, started a flow or handed off — and not what was expected. */
  wrongAction: boolean;
  /** What the runner types next to take the bot's question the way the set means, if anything. */
  followUp?: 'yes' | { option: number };
}

const ACTION = (label: string) => label === 'handoff' || label.startsWith('flow:') || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(label);
const NOT_ACTIONS = new Set(['fallback', 'thanks', 'goodbye', 'greet', 'repeat', 'not-understood', 'bot-challenge', 'declined', 'step', 'invalid', 'cancelled', 'step-again', 'ack', 'feedback', 'none', 'correction']);

export function judge(expected: ScriptedTurn, seen: TurnSeen): TurnVerdict {
  const got = labelOf(seen);
  const also = expected.also;
  const alsoSeen = also === undefined || seen.did.includes(also) || seen.did.includes(`also:${also}`);
  const strict = got === expected.expect && alsoSeen;
  let lenient = strict;
  let followUp: TurnVerdict['followUp'];
  if (!strict && got === `confirm:${expected.expect}`) {
    lenient = true;
    followUp = 'yes';
  } else if (!strict && got.startsWith('clarify:')) {
    const options = got.slice('clarify:'.length).split(',');
    const at = options.indexOf(expected.expect);
    if (at >= 0) {
      lenient = true;
      followUp = { option: at + 1 };
    }
  } else if (!strict && expected.expect === 'handoff' && got === 'offer-handoff') {
    lenient = true;
    followUp = 'yes';
  } else if (!strict && got === expected.expect) {
    // Right, but the second question was neither answered nor offered.
    lenient = false;
  }
  const wrongAction = !lenient && !NOT_ACTIONS.has(got) && ACTION(got) && !got.startsWith('confirm:') && !got.startsWith('clarify:');
  return { got, strict, lenient, wrongAction, ...(followUp ? { followUp } : {}) };
}

export interface ConversationResult {
  id: string;
  kind: string;
  turns: { user: string; expected: string; verdict: TurnVerdict }[];
  strict: boolean;
  lenient: boolean;
}

export interface ConversationFigures {
  conversations: number;
  /** Every turn right as it stands. */
  passedStrict: number;
  /** Every turn right, a yes to the bot's own question allowed. */
  passedLenient: number;
  turns: number;
  turnsStrict: number;
  turnsLenient: number;
  wrongActions: number;
  /** "您是想问…" (a list or a yes/no) instead of an answer. */
  clarifyOrConfirm: number;
  fallbackPrecision: number;
  fallbackRecall: number;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

export function figuresOf(results: readonly ConversationResult[]): ConversationFigures {
  const turns = results.flatMap((r) => r.turns);
  const saidFallback = turns.filter((t) => t.verdict.got === 'fallback');
  const meantFallback = turns.filter((t) => t.expected === 'fallback');
  return {
    conversations: results.length,
    passedStrict: ratio(results.filter((r) => r.strict).length, results.length),
    passedLenient: ratio(results.filter((r) => r.lenient).length, results.length),
    turns: turns.length,
    turnsStrict: ratio(turns.filter((t) => t.verdict.strict).length, turns.length),
    turnsLenient: ratio(turns.filter((t) => t.verdict.lenient).length, turns.length),
    wrongActions: ratio(turns.filter((t) => t.verdict.wrongAction).length, turns.length),
    clarifyOrConfirm: ratio(turns.filter((t) => /^(clarify|confirm):/.test(t.verdict.got)).length, turns.length),
    fallbackPrecision: ratio(saidFallback.filter((t) => t.expected === 'fallback').length, saidFallback.length),
    fallbackRecall: ratio(meantFallback.filter((t) => t.verdict.got === 'fallback').length, meantFallback.length),
  };
}
