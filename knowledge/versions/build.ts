import { buildKnowledgeFromEntries, type Knowledge, type KnowledgeSettings } from '../index';
import { checkEntryFiles, KnowledgeBaseError } from '../loader';
import { entriesOf } from './diff';
import type { KbVersion } from './schema';

/**
 * The knowledge of a published version, for a running bot: checked with today's link
 * allow-list (a version refused throws, and the previous one keeps serving), then built in
 * slices between turns — a turn that arrives meanwhile is answered by the knowledge it found.
 */
export async function buildVersion(version: KbVersion, settings: Omit<KnowledgeSettings, 'dir'>): Promise<Knowledge> {
  // Turns already queued run first, on the version they started with.
  await new Promise((resolve) => setImmediate(resolve));
  const problems = checkEntryFiles(version.files, settings.linkHosts ?? []);
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return buildKnowledgeFromEntries(entriesOf(version.files), settings);
}
