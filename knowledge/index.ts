import { DEFAULT_THRESHOLDS, type DecisionThresholds } from './decide';
import { indexEntries, loadKnowledgeBase, type KnowledgeBase } from './loader';
import { createRouter, type Router } from './route';
import type { KbEntry, Locale } from './schema';
import { DEFAULT_SEARCH_OPTIONS, KnowledgeSearch, type SearchOptions } from './search';

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
  return knowledgeOf(indexEntries(entries), settings);
}

function knowledgeOf(kb: KnowledgeBase, settings: Omit<KnowledgeSettings, 'dir'>): Knowledge {
  const search = new KnowledgeSearch(kb.entries, settings.search ?? DEFAULT_SEARCH_OPTIONS);
  return { kb, router: createRouter(kb, search, settings.thresholds ?? DEFAULT_THRESHOLDS, settings.defaultLocale) };
}
