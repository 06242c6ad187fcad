import { z } from 'zod';
import { cardDataSchema, type CardData } from './card';

/** What an agent's activity in Teams asks for, read without side effects. */

export type AgentCommand =
  | { kind: 'here' }
  | { kind: 'resolve' }
  | { kind: 'duty'; on: boolean }
  | { kind: 'note'; text: string }
  | { kind: 'say'; text: string }
  | { kind: 'empty' };

const HERE = /^(kefu agents here|设为客服频道)$/i;
const RESOLVE = /^(\/resolve|结束)$/i;
const ON_DUTY = /^(上班|on duty)$/i;
const OFF_DUTY = /^(下班|off duty)$/i;
const NOTE = /^\/note(?:\s+([\s\S]*))?$/i;

/** The text of a message with the bot's @mention already removed. */
export function parseAgentText(raw: string | undefined): AgentCommand {
  const text = (raw ?? '').trim();
  if (!text) return { kind: 'empty' };
  if (HERE.test(text)) return { kind: 'here' };
  if (RESOLVE.test(text)) return { kind: 'resolve' };
  if (ON_DUTY.test(text) || OFF_DUTY.test(text)) return { kind: 'duty', on: ON_DUTY.test(text) };
  const note = NOTE.exec(text);
  if (note) return note[1]?.trim() ? { kind: 'note', text: note[1].trim() } : { kind: 'empty' };
  return { kind: 'say', text };
}

/** Action.Execute arrives as an invoke `adaptiveCard/action` with the data under value.action. */
const invokeSchema = z.object({ action: z.object({ type: z.literal('Action.Execute'), data: cardDataSchema }) });

/** The button an activity says was pressed: an Action.Execute invoke or an Action.Submit message; undefined for anything else. */
export function cardAction(activity: { type?: string; name?: string; value?: unknown }): CardData | undefined {
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const parsed = invokeSchema.safeParse(activity.value);
    return parsed.success ? parsed.data.action.data : undefined;
  }
  if (activity.type === 'message' && activity.value !== undefined) {
    const parsed = cardDataSchema.safeParse(activity.value);
    return parsed.success ? parsed.data : undefined;
  }
  return undefined;
}

/** The channel a Teams conversation id belongs to: a thread's id is the channel's with ;messageid=… */
export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}
