import { MAX_VERSION_BYTES } from '../versions/store';
import { deskStateSchema, type DeskState } from './draft';

/**
 * Where the desk's draft and resolutions live, shared by every instance like the versions: a
 * folder in the embedded default, Redis otherwise. `write` is a compare-and-set: it stores
 * `next` only while the stored revision is still `next.revision - 1`.
 */
export interface DeskStore {
  read(): Promise<DeskState>;
  write(next: DeskState): Promise<boolean>;
}

export class DraftTooLargeError extends Error {
  override readonly name = 'DraftTooLargeError';
}

/** The JSON kept, refused past a version's size: a draft becomes a version. */
export function serializeDesk(state: DeskState): string {
  const json = JSON.stringify(state);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_VERSION_BYTES) throw new DraftTooLargeError(`the draft would be ${(bytes / 1024 / 1024).toFixed(1)} MB; at most ${MAX_VERSION_BYTES / 1024 / 1024} MB`);
  return json;
}

export const parseDesk = (json: string): DeskState => deskStateSchema.parse(JSON.parse(json));
