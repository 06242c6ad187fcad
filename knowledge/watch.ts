import fs from 'node:fs';
import { openKnowledge, type Knowledge, type KnowledgeSettings } from './index';
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
 */
export function watchKnowledge(settings: KnowledgeSettings, onReload: (knowledge: Knowledge) => void, log: WatchLog): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    try {
      const knowledge = openKnowledge(settings);
      onReload(knowledge);
      log.info({ entries: knowledge.kb.entries.length }, 'knowledge base reloaded');
    } catch (error) {
      const problems = error instanceof KnowledgeBaseError ? error.problems : [{ reason: error instanceof Error ? error.message : String(error) }];
      log.error({ problems }, 'knowledge base NOT reloaded: the previous one keeps serving');
    }
  };
  const watcher = fs.watch(settings.dir, { recursive: true }, (_event, file) => {
    if (file && !/\.ya?ml$/i.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(reload, SETTLE_MS);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
