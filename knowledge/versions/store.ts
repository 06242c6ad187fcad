import type { KbVersion, VersionSummary } from './schema';

/**
 * Where published versions live, shared by every instance: a local folder (one machine) or
 * Redis. Numbers are claimed atomically: `put` refuses a number already taken, so two leads
 * publishing at once both get a version, one after the other.
 */
export interface VersionStore {
  /** The newest version's number, 0 before the first publication. */
  latest(): Promise<number>;
  get(number: number): Promise<KbVersion | undefined>;
  /** The versions kept, newest first, without their entries. */
  list(): Promise<VersionSummary[]>;
  /** Stores `version` unless its number is taken (false then); drops the oldest beyond the kept count. */
  put(version: KbVersion): Promise<boolean>;
  /** Calls `listener` soon after any instance (or the CLI) publishes; returns the unsubscribe. */
  onPublished(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Versions kept by default: enough to roll back weeks of edits, bounded so the store cannot grow without end. */
export const DEFAULT_VERSIONS_KEPT = 50;

/** A version's JSON at most (5 MB; today's whole KB is about 0.2 MB): a store of `kept` versions stays below kept × this. */
export const MAX_VERSION_BYTES = 5 * 1024 * 1024;

export class VersionTooLargeError extends Error {
  override readonly name = 'VersionTooLargeError';
  constructor(bytes: number) {
    super(`the version is ${(bytes / 1024 / 1024).toFixed(1)} MB; at most ${MAX_VERSION_BYTES / 1024 / 1024} MB is kept`);
  }
}

/** The JSON a store keeps, refused when too large. */
export function serializeVersion(version: KbVersion): string {
  const json = JSON.stringify(version);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_VERSION_BYTES) throw new VersionTooLargeError(bytes);
  return json;
}
