import type { AnyActorRef } from 'xstate';
import type { FlowOutcome } from './flows/protocol';
import { accountSchema } from '../domain/accounts';
import type { FlowStage, FlowTrail } from '../domain/handoff';
import { maskPhone } from '../domain/mask';

interface NodeSnapshot {
  status?: string;
  value?: unknown;
  context?: Record<string, unknown>;
  output?: unknown;
  children?: Record<string, AnyActorRef | undefined>;
}

/**
 * The flows' states an agent is told about, by name. A state not listed (identifying,
 * verifying, byAccount …) only wraps a step: the step it runs says where the user is.
 * test/dialogs/flowTrail.test.ts checks every state of every flow is listed or wraps a step.
 */
export const STAGE_OF_STATE: Readonly<Record<string, FlowStage>> = {
  askingPhone: 'askingPhone',
  sendingCode: 'awaitingCode',
  askingCode: 'awaitingCode',
  checking: 'awaitingCode',
  lookingUp: 'lookingUpAccount',
  unlocking: 'unlocking',
  askingNew: 'askingNewPhone',
  checkingNew: 'awaitingNewCode',
  verifyingNew: 'awaitingNewCode',
  confirming: 'confirmingChange',
  changing: 'changingPhone',
  askingExplanation: 'askingExplanation',
  askingFiles: 'askingFiles',
  filing: 'filingAppeal',
  opening: 'askingCaseOrPhone',
  askingCaseOrPhone: 'askingCaseOrPhone',
  lookingUpCase: 'lookingUpCase',
  lookingUpAccount: 'lookingUpCases',
};

/** Why a flow handed the chat over, where that says more than the step it was at. */
const STAGE_OF_HANDOFF: Partial<Record<string, FlowStage>> = {
  security_alert: 'securityLocked',
  'old-number-unavailable': 'oldNumberLost',
};

const topState = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : value && typeof value === 'object' ? Object.keys(value)[0] : undefined;

/**
 * Where a flow stands, read from its actor and the steps it invoked: the stage (the outermost
 * state with a name for people), the number the user gave, and whether an account was
 * identified (which takes a correct SMS code). Flows follow one convention: the number is
 * `phone` or `currentPhone`, an identified account is `account`.
 *
 * A flow that has just ended (it handed over, or gave up) is read from its last context and
 * its outcome; what the end no longer shows (the step it was stuck at, the number of a code
 * that never came) is kept from `before`, the trail at the end of the previous turn.
 */
export function flowTrail(flow: string, actor: AnyActorRef, before?: FlowTrail): FlowTrail {
  let stage: FlowStage | undefined;
  let phone: string | undefined;
  let verified = false;
  const visit = (ref: AnyActorRef) => {
    const snapshot = ref.getSnapshot() as NodeSnapshot;
    const state = snapshot.status === 'active' ? topState(snapshot.value) : undefined;
    stage ??= state === undefined ? undefined : STAGE_OF_STATE[state];
    const context = snapshot.context ?? {};
    for (const key of ['phone', 'currentPhone']) {
      const value = context[key];
      if (!phone && typeof value === 'string' && value) phone = value;
    }
    const account = accountSchema.safeParse(context.account);
    if (account.success) {
      verified = true;
      phone ??= account.data.phone;
    }
    for (const child of Object.values(snapshot.children ?? {})) if (child) visit(child);
  };
  visit(actor);
  const root = actor.getSnapshot() as NodeSnapshot;
  if (root.status === 'done') {
    const outcome = root.output as FlowOutcome | undefined;
    const handedOver = outcome?.outcome === 'handoff' ? STAGE_OF_HANDOFF[outcome.reason] : undefined;
    // Verified in this very turn and then stuck: the step before the code no longer says where.
    stage = handedOver ?? (verified && !before?.verified ? undefined : before?.stage);
    verified ||= before?.verified ?? false;
  }
  const maskedPhone = phone ? maskPhone(phone) : root.status === 'done' ? before?.maskedPhone : undefined;
  return { flow, ...(stage ? { stage } : {}), ...(maskedPhone ? { maskedPhone } : {}), verified };
}

/** Context keys a flow or step keeps a number the user gave in (their own, old or new). */
const NUMBER_KEYS = ['phone', 'currentPhone', 'newPhone'] as const;

/**
 * Every number the user gave that the flows (and their steps) below `actor` hold now, whole:
 * what links the conversation to its user in the records (bot/records/subjectLinks.ts), so
 * their data is found when they ask for it. Never shown to anyone.
 */
export function numbersIn(actor: AnyActorRef): string[] {
  const found = new Set<string>();
  const visit = (ref: AnyActorRef) => {
    const snapshot = ref.getSnapshot() as NodeSnapshot;
    const context = snapshot.context ?? {};
    for (const key of NUMBER_KEYS) {
      const value = context[key];
      if (typeof value === 'string' && value) found.add(value);
    }
    const account = accountSchema.safeParse(context.account);
    if (account.success) found.add(account.data.phone);
    for (const child of Object.values(snapshot.children ?? {})) if (child) visit(child);
  };
  visit(actor);
  return [...found];
}
