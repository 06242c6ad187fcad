import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT } from '../projectRoot';

/** Replies agents insert with "/shortcut" in the console, in both languages. */
export const cannedRepliesSchema = z.object({
  replies: z.array(
    z.object({
      shortcut: z.string().regex(/^[a-z0-9-]{1,24}$/, 'expected a short lower-case word'),
      'zh-CN': z.string().min(1).max(2000),
      'en-US': z.string().min(1).max(2000),
    }),
  ),
});
export type CannedReply = z.infer<typeof cannedRepliesSchema>['replies'][number];

/** Throws one line naming the file and the problem. */
export function loadCannedReplies(file: string): CannedReply[] {
  const parsed = cannedRepliesSchema.safeParse(YAML.parse(fs.readFileSync(path.resolve(PROJECT_ROOT, file), 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''} — ${issue?.message ?? 'invalid canned replies'}`);
  }
  return parsed.data.replies;
}
