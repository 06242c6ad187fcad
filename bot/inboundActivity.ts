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

/** A one-line reason for the 400 response. */
export function explainInvalidActivity(body: unknown): string | undefined {
  const result = inboundActivitySchema.safeParse(body);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return `invalid activity: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is not valid'}`;
}
