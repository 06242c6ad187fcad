import fs from 'node:fs';
import { reopenKnowledge, type Knowledge, type KnowledgeSettings } from './index';
import { KnowledgeBaseError } from './loader';

interface WatchLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const SETTLE_MS = 250;

/**
 * Reloads the knowledge base when a file under its directory changes: validated first, and
 * swapped in only when valid. A broken file keeps the old knowledge base serving, and the
 * log says exactly what is wrong. Editors write in bursts, so changes settle briefly first.
 * The new knowledge is built in slices between turns; one reload at a time, and a change
 * during a reload leads to one more afterwards.
 */
export function watchKnowledge(settings: KnowledgeSettings, onReload: (knowledge: Knowledge) => void, log: WatchLog): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let reloading = false;
  let again = false;
  let closed = false;
  const reload = async (): Promise<void> => {
    if (reloading) {
      again = true;
      return;
    }
    reloading = true;
    try {
      const knowledge = await reopenKnowledge(settings);
      if (closed) return;
      onReload(knowledge);
      log.info({ entries: knowledge.kb.entries.length }, 'knowledge base reloaded');
    } catch (error) {
      const problems = error instanceof KnowledgeBaseError ? error.problems : [{ reason: error instanceof Error ? error.message : String(error) }];
      log.error({ problems }, 'knowledge base NOT reloaded: the previous one keeps serving');
    } finally {
      reloading = false;
      if (again && !closed) {
        again = false;
        void reload();
      }
    }
  };
  const watcher = fs.watch(settings.dir, { recursive: true }, (_event, file) => {
    if (file && !/\.ya?ml$/i.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), SETTLE_MS);
  });
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}
