import { diffEntries, entriesOf } from './diff';
import { kbVersionSchema, publicationSchema, type KbVersion, type Publication, type VersionFile } from './schema';
import type { VersionStore } from './store';

/** The version after `previous` holding `files`: pure, so what a publication records is tested alone. */
export function nextVersion(previous: KbVersion | undefined, files: VersionFile[], publication: Publication, now: Date, rollbackOf?: number): KbVersion {
  return kbVersionSchema.parse({
    number: (previous?.number ?? 0) + 1,
    ...publicationSchema.parse(publication),
    publishedAt: now.toISOString(),
    ...(rollbackOf === undefined ? {} : { rollbackOf }),
    diff: diffEntries(previous ? entriesOf(previous.files) : [], entriesOf(files)),
    files,
  });
}

const ATTEMPTS = 5;

/** Publishes `files` as the next version; when another publication takes the number first, diffs against that one and tries again. */
export async function publishVersion(store: VersionStore, files: VersionFile[], publication: Publication, rollbackOf?: number, now = () => new Date()): Promise<KbVersion> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const latest = await store.latest();
    const previous = latest > 0 ? await store.get(latest) : undefined;
    const version = nextVersion(previous, files, publication, now(), rollbackOf);
    if (await store.put(version)) return version;
  }
  throw new Error('could not publish: other publications kept taking the next number; try again');
}

export class UnknownVersionError extends Error {
  override readonly name = 'UnknownVersionError';
}

/** Rolling back to N publishes a new version equal to N: the history only grows, so a rollback can be rolled back too. */
export async function rollbackTo(store: VersionStore, number: number, publication: Publication): Promise<KbVersion> {
  const target = await store.get(number);
  if (!target) throw new UnknownVersionError(`version ${number} is not kept (see \`kb versions\`)`);
  return publishVersion(store, target.files, publication, number);
}
