import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { localeSchema, type KbEntry, type Locale } from '../schema';
import { entryKey } from '../versions/diff';
import { versionFileSchema, type VersionFile } from '../versions/schema';

/**
 * The knowledge desk's draft: the files of a version being edited by leads, plus the
 * unanswered questions they resolved. One document, written whole with a compare-and-set on
 * `revision`, so two leads on two instances cannot both win an edit.
 */

/** At most this many entries in a draft (today's KB has about 400): a page that adds in a loop stops here. */
export const MAX_DRAFT_ENTRIES = 3000;
/** Resolutions kept; the oldest are dropped (their groups may come back). */
export const MAX_RESOLUTIONS = 1000;

export const resolutionSchema = z.object({
  group: z.string(),
  locale: localeSchema,
  /** The group's wordings (masked, normalized): a group holding one of them is resolved. */
  wordings: z.array(z.string()).max(50),
  /** The label the top wording should now get (entry id, or `fallback`); none when dismissed. */
  expected: z.string().optional(),
  question: z.string(),
  action: z.enum(['phrasing', 'new-entry', 'out-of-scope', 'dismiss']),
  lead: z.string(),
  at: z.string(),
});
export type Resolution = z.infer<typeof resolutionSchema>;

export const deskStateSchema = z.object({
  /** Bumped by every write; the compare-and-set's token. 0 = nothing written yet. */
  revision: z.number().int().nonnegative(),
  /** Changes with every write too, and never repeats: what caches of a draft are keyed by. */
  stamp: z.string(),
  /** Absent when no lead has edited since the last publication. */
  draft: z.object({ base: z.number().int().nonnegative(), files: z.array(versionFileSchema) }).optional(),
  resolutions: z.array(resolutionSchema),
});
export type DeskState = z.infer<typeof deskStateSchema>;

export const EMPTY_DESK: DeskState = { revision: 0, stamp: 'empty', resolutions: [] };

export const etagOf = (entry: KbEntry): string => crypto.createHash('sha256').update(JSON.stringify(entry)).digest('base64url').slice(0, 16);

/** `"abc"`, `W/"abc"` or `abc` → `abc`. */
export const parseIfMatch = (header: string | undefined): string | undefined => header?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1') || undefined;

export function findEntry(files: readonly VersionFile[], locale: Locale, id: string): KbEntry | undefined {
  for (const file of files) for (const entry of file.entries) if (entry.locale === locale && entry.id === id) return entry;
  return undefined;
}

/** `files` with the entry of the same key replaced by `entry` (in its file, in its place). */
export function replaceEntry(files: readonly VersionFile[], entry: KbEntry): VersionFile[] {
  const key = entryKey(entry);
  return files.map((file) => ({ ...file, entries: file.entries.map((e) => (entryKey(e) === key ? entry : e)) }));
}

export function removeEntry(files: readonly VersionFile[], locale: Locale, id: string): VersionFile[] {
  return files.map((file) => ({ ...file, entries: file.entries.filter((e) => !(e.locale === locale && e.id === id)) })).filter((file) => file.entries.length > 0);
}

/** New entries go to `<locale>/desk.yaml`, so `kb export --yaml` shows what was written on the page apart. */
export function addEntry(files: readonly VersionFile[], entry: KbEntry): VersionFile[] {
  const target = `${entry.locale}/desk.yaml`;
  if (files.some((file) => file.path === target)) return files.map((file) => (file.path === target ? { ...file, entries: [...file.entries, entry] } : file));
  return [...files, { path: target, entries: [entry] }];
}

export const entryCount = (files: readonly VersionFile[]): number => files.reduce((n, file) => n + file.entries.length, 0);

export interface ListedEntry {
  entry: KbEntry;
  etag: string;
  status: 'published' | 'added' | 'changed';
}

/** The draft's entries of one locale against what is published: each entry's status, and the ids the draft deleted. */
export function listEntries(draft: readonly VersionFile[], published: readonly VersionFile[], locale: Locale): { entries: ListedEntry[]; removed: string[] } {
  const served = new Map(published.flatMap((file) => file.entries).filter((e) => e.locale === locale).map((e) => [e.id, e]));
  const mine = draft.flatMap((file) => file.entries).filter((e) => e.locale === locale);
  const ids = new Set(mine.map((e) => e.id));
  return {
    entries: mine.map((entry) => {
      const before = served.get(entry.id);
      return { entry, etag: etagOf(entry), status: !before ? 'added' : isDeepStrictEqual(before, entry) ? 'published' : 'changed' };
    }),
    removed: [...served.keys()].filter((id) => !ids.has(id)).sort(),
  };
}
