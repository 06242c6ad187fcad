import { z } from 'zod';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { isAct, kbEntrySchemaFor, kbFileSchema, type ActEntry, type KbEntry, type Locale } from './schema';

/** One problem found in the knowledge files, precise enough to fix without searching. */
export interface KbProblem {
  file: string;
  entryId?: string;
  field?: string;
  reason: string;
}

export function formatProblem(problem: KbProblem): string {
  const where = [problem.file, problem.entryId && `entry ${problem.entryId}`, problem.field && `field ${problem.field}`]
    .filter(Boolean)
    .join(': ');
  return `${where}: ${problem.reason}`;
}

export class KnowledgeBaseError extends Error {
  override readonly name = 'KnowledgeBaseError';
  constructor(readonly problems: KbProblem[]) {
    super(`knowledge base has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}

export interface KnowledgeBase {
  /** What a question is looked up in: FAQ entries and out-of-scope examples. */
  entries: KbEntry[];
  /** Entries of one locale, by id. */
  byLocale: Record<Locale, Map<string, KbEntry>>;
  /** Examples of conversation acts, read before any question is looked up; never searched as questions. */
  acts: ActEntry[];
}

function listYamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.ya?ml$/i.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

function parseFile(text: string, shownAs: string, linkHosts: readonly string[]): { entries: KbEntry[]; problems: KbProblem[] } {
  const problems: KbProblem[] = [];
  const entries: KbEntry[] = [];
  const doc = YAML.parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push({ file: shownAs, reason: `YAML syntax: ${error.message.split('\n')[0]}` });
    return { entries, problems };
  }
  const list = kbFileSchema.safeParse(doc.toJS() ?? []);
  if (!list.success) {
    problems.push({ file: shownAs, reason: list.error.issues[0]?.message ?? 'not a list' });
    return { entries, problems };
  }
  const schema = kbEntrySchemaFor(linkHosts);
  list.data.forEach((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      entries.push(parsed.data);
      return;
    }
    problems.push(...problemsOf(parsed.error, raw, index, shownAs));
  });
  return { entries, problems };
}

function problemsOf(error: z.ZodError, raw: unknown, index: number, file: string): KbProblem[] {
  const entryId = typeof raw === 'object' && raw !== null && 'id' in raw ? String(raw.id) : `#${index + 1}`;
  return error.issues.map((issue) => ({ file, entryId, field: issue.path.join('.') || undefined, reason: issue.message }));
}

/** Cross-entry rules: unique ids per locale, follow-ups that exist. */
function checkReferences(entries: KbEntry[], fileOf: Map<KbEntry, string>): KbProblem[] {
  const problems: KbProblem[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const key = `${entry.locale}/${entry.id}`;
    const first = seen.get(key);
    const file = fileOf.get(entry) ?? '?';
    if (first) problems.push({ file, entryId: entry.id, field: 'id', reason: `duplicate id in ${entry.locale}, first defined in ${first}` });
    else seen.set(key, file);
  }
  for (const entry of entries) {
    for (const target of entry.followUps ?? []) {
      if (!seen.has(`${entry.locale}/${target}`)) {
        problems.push({ file: fileOf.get(entry) ?? '?', entryId: entry.id, field: 'followUps', reason: `unknown id ${target} in ${entry.locale}` });
      }
    }
  }
  return problems;
}

/** Reads and validates every YAML file below `dir`; throws KnowledgeBaseError listing all problems. */
export function loadKnowledgeBase(dir: string, linkHosts: readonly string[] = []): KnowledgeBase {
  const { entries, problems } = checkKnowledgeBase(dir, linkHosts);
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return indexEntries(entries);
}

export function indexEntries(all: KbEntry[]): KnowledgeBase {
  const entries = all.filter((entry) => !isAct(entry));
  const byLocale: KnowledgeBase['byLocale'] = { 'zh-CN': new Map(), 'en-US': new Map() };
  for (const entry of entries) byLocale[entry.locale].set(entry.id, entry);
  return { entries, byLocale, acts: all.filter(isAct) };
}

/** Every problem of the knowledge files, for `kb check` and for start-up; `linkHosts`: KB_LINK_HOSTS. */
export function checkKnowledgeBase(dir: string, linkHosts: readonly string[] = []): { entries: KbEntry[]; problems: KbProblem[] } {
  const { files, problems } = readKnowledgeFiles(dir, linkHosts);
  return { entries: files.flatMap((file) => file.entries), problems };
}

/** The knowledge files below `dir` with their entries, by path relative to `dir`, and every problem found. */
export function readKnowledgeFiles(dir: string, linkHosts: readonly string[] = []): { files: { path: string; entries: KbEntry[] }[]; problems: KbProblem[] } {
  const paths = listYamlFiles(dir);
  if (paths.length === 0) return { files: [], problems: [{ file: dir, reason: 'no .yaml knowledge files found' }] };
  const files: { path: string; entries: KbEntry[] }[] = [];
  const problems: KbProblem[] = [];
  const fileOf = new Map<KbEntry, string>();
  for (const file of paths) {
    const shownAs = path.relative(process.cwd(), file) || file;
    const result = parseFile(fs.readFileSync(file, 'utf8'), shownAs, linkHosts);
    for (const entry of result.entries) fileOf.set(entry, shownAs);
    files.push({ path: path.relative(dir, file).split(path.sep).join('/'), entries: result.entries });
    problems.push(...result.problems);
  }
  problems.push(...checkReferences(files.flatMap((file) => file.entries), fileOf));
  return { files, problems };
}

/**
 * Every problem of entries that did not come from files (a stored version, a draft): each
 * entry against the schema with today's link allow-list, which may have narrowed since it was
 * written, then the cross-entry rules.
 */
export function checkEntryFiles(files: readonly { path: string; entries: readonly unknown[] }[], linkHosts: readonly string[] = []): KbProblem[] {
  const schema = kbEntrySchemaFor(linkHosts);
  const problems: KbProblem[] = [];
  const fileOf = new Map<KbEntry, string>();
  for (const file of files) {
    file.entries.forEach((raw, index) => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) fileOf.set(parsed.data, file.path);
      else problems.push(...problemsOf(parsed.error, raw, index, file.path));
    });
  }
  return [...problems, ...checkReferences([...fileOf.keys()], fileOf)];
}
