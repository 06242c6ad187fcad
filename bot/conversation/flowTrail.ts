import type { AnyActorRef } from 'xstate';
import { accountSchema } from '../services/accounts';
import type { FlowTrail } from '../handoff/model';
import { maskPhone } from '../privacy/mask';

interface NodeSnapshot {
  value?: unknown;
  context?: Record<string, unknown>;
  children?: Record<string, AnyActorRef | undefined>;
}

/** "identifying" or { identifying: "code" } → "identifying.code". */
function statePath(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, inner]) => `${key}.${statePath(inner)}`)
      .join(',');
  }
  return '';
}

/**
 * Where a running flow stands, read from its actor and the steps it invoked: the state path
 * ("identifying › code"), the number the user gave, and whether an account was identified
 * (which takes a correct SMS code). Flows follow one convention: the number is `phone` or
 * `currentPhone`, an identified account is `account`.
 */
export function flowTrail(flow: string, actor: AnyActorRef): FlowTrail {
  const steps: string[] = [];
  let phone: string | undefined;
  let verified = false;
  const visit = (ref: AnyActorRef) => {
    const snapshot = ref.getSnapshot() as NodeSnapshot;
    if (snapshot.value !== undefined) steps.push(statePath(snapshot.value));
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
  return { flow, step: steps.filter(Boolean).join(' › '), maskedPhone: phone ? maskPhone(phone) : undefined, verified };
}
