import { DEFAULT_THRESHOLDS, type DecisionThresholds } from './decide';
import { indexEntries, loadKnowledgeBase, type KnowledgeBase } from './loader';
import { routerBuilding, type Router } from './route';
import type { KbEntry, Locale } from './schema';
import { DEFAULT_SEARCH_OPTIONS, searchBuilding, type SearchOptions } from './search';
import { atOnce, inSlices, type Sliced } from './slices';

export interface Knowledge {
  kb: KnowledgeBase;
  router: Router;
}

export interface KnowledgeSettings {
  dir: string;
  thresholds?: DecisionThresholds;
  search?: SearchOptions;
  defaultLocale?: Locale;
  /** Hosts an answer may link to (KB_LINK_HOSTS); none by default. */
  linkHosts?: readonly string[];
}

/** Loads and validates the knowledge files and builds the router over them. */
export function openKnowledge(settings: KnowledgeSettings): Knowledge {
  return knowledgeOf(loadKnowledgeBase(settings.dir, settings.linkHosts), settings);
}

/** The router over entries already validated (a published version); the files' directory is not read. */
export function knowledgeFromEntries(entries: KbEntry[], settings: Omit<KnowledgeSettings, 'dir'>): Knowledge {
  return atOnce(knowledgeBuilding(indexEntries(entries), settings));
}

/**
 * `knowledgeFromEntries` built in slices between turns: what a running bot uses for a published
 * version, so the turns that arrive meanwhile are answered (by the knowledge they started with)
 * instead of waiting for the training. The same model as built at once.
 */
export function buildKnowledgeFromEntries(entries: KbEntry[], settings: Omit<KnowledgeSettings, 'dir'>): Promise<Knowledge> {
  return inSlices(knowledgeBuilding(indexEntries(entries), settings));
}

/** `openKnowledge` for a running bot (the file watcher): the files are read at once, the rest built in slices. */
export function reopenKnowledge(settings: KnowledgeSettings): Promise<Knowledge> {
  return inSlices(knowledgeBuilding(loadKnowledgeBase(settings.dir, settings.linkHosts), settings));
}

function knowledgeOf(kb: KnowledgeBase, settings: Omit<KnowledgeSettings, 'dir'>): Knowledge {
  return atOnce(knowledgeBuilding(kb, settings));
}

function* knowledgeBuilding(kb: KnowledgeBase, settings: Omit<KnowledgeSettings, 'dir'>): Sliced<Knowledge> {
  const search = yield* searchBuilding(kb.entries, settings.search ?? DEFAULT_SEARCH_OPTIONS);
  return { kb, router: yield* routerBuilding(kb, search, settings.thresholds ?? DEFAULT_THRESHOLDS, settings.defaultLocale) };
}
