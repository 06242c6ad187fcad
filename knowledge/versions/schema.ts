import { z } from 'zod';
import { kbEntryShapeSchema } from '../schema';

/** One knowledge file of a version, by its path under the KB directory ("zh-CN/unlock.yaml"), so export gives back the git layout. */
export const versionFileSchema = z.object({
  path: z.string().regex(/^[\w-]+(\/[\w.-]+)*\.ya?ml$/, 'must be a relative .yaml path'),
  // The shape only: an answer's links are judged with the allow-list of the day it is served.
  entries: z.array(kbEntryShapeSchema),
});
export type VersionFile = z.infer<typeof versionFileSchema>;

/** What changed from the version before, by entry key (`locale/id`). */
export const entryDiffSchema = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
});
export type EntryDiff = z.infer<typeof entryDiffSchema>;

export const versionSummarySchema = z.object({
  number: z.number().int().positive(),
  publishedBy: z.string().min(1).max(64),
  publishedAt: z.string().datetime(),
  message: z.string().trim().min(1, 'must say what changed').max(500),
  /** Set when this version was made by rolling back to an older one. */
  rollbackOf: z.number().int().positive().optional(),
  diff: entryDiffSchema,
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

export const kbVersionSchema = versionSummarySchema.extend({ files: z.array(versionFileSchema).min(1) });
export type KbVersion = z.infer<typeof kbVersionSchema>;

/** Who publishes and why: the part of a version a lead gives. */
export const publicationSchema = versionSummarySchema.pick({ publishedBy: true, message: true });
export type Publication = z.infer<typeof publicationSchema>;

export function summaryOf({ files: _files, ...summary }: KbVersion): VersionSummary {
  return summary;
}
