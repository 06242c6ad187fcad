import { z } from 'zod';

/**
 * The least an activity must carry for Kefu to answer it: botbuilder's own check only
 * looks at `type` and throws deep inside the adapter on anything else, so malformed
 * requests are turned away here with a 400 before they reach a turn.
 */
// Only checked, never used as output: other properties are left alone, not copied.
const inboundActivitySchema = z.object({
  type: z.string().min(1).max(64),
  id: z.string().max(256).optional(),
  channelId: z.string().min(1).max(64),
  serviceUrl: z.string().url().max(2048),
  conversation: z.object({ id: z.string().min(1).max(512) }),
  from: z.object({ id: z.string().max(512) }).optional(),
  recipient: z.object({ id: z.string().max(512) }).optional(),
  text: z.string().max(100000).optional().nullable(),
  locale: z.string().max(32).optional().nullable(),
});

/**
 * How deep objects and arrays may nest in an activity someone posts. Real activities (Teams
 * card submissions included) stay well under it; a value nested thousands deep cannot even
 * be serialised again, so accepting one would break every later read of its conversation.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The largest activity a user may post to the embedded Direct Line: a message of
 * MAX_MESSAGE_CHARS with its card value and entities is a few kilobytes, and parsing and
 * storing a larger body costs the event loop for everyone.
 */
export const MAX_USER_ACTIVITY_BYTES = 64 * 1024;

/**
 * The largest activity /api/messages accepts: the Bot Framework's own limit for an
 * activity (256 KB), so Teams card submissions and channel data always fit.
 */
export const MAX_CHANNEL_ACTIVITY_BYTES = 256 * 1024;

/** True when objects and arrays nest deeper than `max` (the top level is depth 1). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A one-line reason for the 400 response. */
export function explainInvalidActivity(body: unknown): string | undefined {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) return `invalid activity: nested deeper than ${MAX_JSON_DEPTH} levels`;
  const result = inboundActivitySchema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `invalid activity: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is not valid'}`;
}
