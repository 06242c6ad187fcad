import { entriesOf } from './diff';
import { summaryOf, type KbVersion, type VersionSummary } from './schema';
import type { VersionStore } from './store';

interface FollowLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface Following {
  /** The number now served, 0 while the seed files are. */
  readonly serving: number;
  /** Looks at the store now; resolves once what it holds is served (or failed, and logged). */
  check(): Promise<void>;
  /** Calls `listener` each time this instance starts serving a newer version; returns the unsubscribe. */
  onServed(listener: (version: VersionSummary) => void): () => void;
  close(): void;
}

/**
 * Keeps this instance serving the store's newest version: told by the store's notice (Redis
 * pub/sub, the folder's check) and, as the safety net for a lost notice, checking every
 * `checkMs`. The new version is built (and checked: `build` throws on a version it refuses) by `build` while the previous one keeps answering
 * turns, and swapped in whole by `serve`. One build at a time; notices during a build
 * lead to one more look afterwards.
 */
export function followVersions<T>(
  store: VersionStore,
  build: (version: KbVersion) => Promise<T>,
  serve: (built: T, version: KbVersion) => void,
  log: FollowLog,
  checkMs: number,
): Following {
  let serving = 0;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  const listeners = new Set<(version: VersionSummary) => void>();
  const look = async (): Promise<void> => {
    const latest = await store.latest();
    if (closed || latest === 0 || latest === serving) return;
    const version = await store.get(latest);
    if (!version || closed) return;
    const built = await build(version);
    if (closed) return;
    serving = version.number;
    serve(built, version);
    const summary = summaryOf(version);
    for (const listener of listeners) listener(summary);
    log.info({ version: version.number, entries: entriesOf(version.files).length, publishedBy: version.publishedBy }, 'knowledge base version served');
  };
  const check = (): Promise<void> => {
    if (running) {
      // The look under way may predate what the caller knows: wait for the one after it.
      again = true;
      return running.then(() => running ?? undefined);
    }
    running = look()
      .catch((error: unknown) => log.error({ err: error }, 'knowledge base version NOT served: the previous one keeps serving'))
      .finally(() => {
        running = undefined;
        if (again && !closed) {
          again = false;
          void check();
        }
      });
    return running;
  };
  void check();
  const unsubscribe = store.onPublished(() => void check());
  const timer = setInterval(() => void check(), checkMs);
  timer.unref();
  return {
    get serving() {
      return serving;
    },
    check,
    onServed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
