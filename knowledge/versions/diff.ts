import { isDeepStrictEqual } from 'node:util';
import type { KbEntry } from '../schema';
import type { EntryDiff, VersionFile } from './schema';

export const entryKey = (entry: KbEntry) => `${entry.locale}/${entry.id}`;

export function entriesOf(files: readonly VersionFile[]): KbEntry[] {
  return files.flatMap((file) => file.entries);
}

/** Entries added, removed and changed from `before` to `after`, each list sorted. */
export function diffEntries(before: readonly KbEntry[], after: readonly KbEntry[]): EntryDiff {
  const old = new Map(before.map((entry) => [entryKey(entry), entry]));
  const now = new Map(after.map((entry) => [entryKey(entry), entry]));
  return {
    added: [...now.keys()].filter((key) => !old.has(key)).sort(),
    removed: [...old.keys()].filter((key) => !now.has(key)).sort(),
    changed: [...now].filter(([key, entry]) => old.has(key) && !isDeepStrictEqual(old.get(key), entry)).map(([key]) => key).sort(),
  };
}
