import crypto from 'node:crypto';
import { addEntry, entryCount, etagOf, findEntry, MAX_DRAFT_ENTRIES, MAX_RESOLUTIONS, removeEntry, replaceEntry, type DeskState, type Resolution } from '../../knowledge/desk/draft';
import { DraftTooLargeError, type DeskStore } from '../../knowledge/desk/store';
import { checkEntryFiles } from '../../knowledge/loader';
import { kbEntrySchemaFor, type KbEntry, type Locale } from '../../knowledge/schema';
import type { VersionFile } from '../../knowledge/versions/schema';
import type { VersionStore } from '../../knowledge/versions/store';

/** What a desk call answers: a status, a JSON body, and the entry's ETag when there is one. */
export interface Reply {
  status: number;
  body?: unknown;
  etag?: string;
}

export interface Problem {
  field: string;
  reason: string;
}

/** What is published: the newest version's files, or the seed files before the first. */
export interface Published {
  number: number;
  files: VersionFile[];
}

export async function publishedOf(versions: VersionStore, seed: () => VersionFile[]): Promise<Published> {
  const number = await versions.latest();
  const version = number > 0 ? await versions.get(number) : undefined;
  return version ? { number, files: version.files } : { number: 0, files: seed() };
}

/** One change to the draft: files to keep (or unchanged), a resolution to record, and the reply; or a refusal. */
export type Edit = { reply: Reply; files?: VersionFile[]; resolution?: Resolution } | { refuse: Reply };

const ATTEMPTS = 20;

/**
 * The draft as leads edit it. Every write reads the state, decides on it (pure `edit`), and
 * stores it with a compare-and-set; losing the race to another lead's write (another entry,
 * or another instance) reads again and decides again, so an edit is judged on what is stored.
 */
export class Drafts {
  constructor(
    private readonly store: DeskStore,
    private readonly versions: VersionStore,
    private readonly seed: () => VersionFile[],
    private readonly linkHosts: readonly string[],
  ) {}

  read(): Promise<DeskState> {
    return this.store.read();
  }

  published(): Promise<Published> {
    return publishedOf(this.versions, this.seed);
  }

  /** The draft's files: the stored draft, or a copy of what is published when no lead has edited yet. */
  async filesOf(state: DeskState): Promise<{ base: number; files: VersionFile[] }> {
    if (state.draft) return state.draft;
    const published = await this.published();
    return { base: published.number, files: published.files };
  }

  async update(edit: (files: VersionFile[]) => Edit): Promise<Reply> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const state = await this.store.read();
      const draft = await this.filesOf(state);
      const outcome = edit(draft.files);
      if ('refuse' in outcome) return outcome.refuse;
      if (outcome.files && entryCount(outcome.files) > MAX_DRAFT_ENTRIES) return { status: 413, body: { error: `a draft holds at most ${MAX_DRAFT_ENTRIES} entries` } };
      const next: DeskState = {
        revision: state.revision + 1,
        stamp: crypto.randomUUID(),
        ...(outcome.files ? { draft: { base: draft.base, files: outcome.files } } : state.draft ? { draft: state.draft } : {}),
        resolutions: outcome.resolution ? [...state.resolutions, outcome.resolution].slice(-MAX_RESOLUTIONS) : state.resolutions,
      };
      try {
        if (await this.store.write(next)) return outcome.reply;
      } catch (error) {
        if (error instanceof DraftTooLargeError) return { status: 413, body: { error: error.message } };
        throw error;
      }
    }
    return { status: 503, body: { error: 'the draft kept changing under this edit; try again' } };
  }

  /** Clears the draft published from `revision`; a draft edited since stays (it still differs from the new version). */
  async cleared(revision: number): Promise<boolean> {
    const state = await this.store.read();
    if (state.revision !== revision) return false;
    return this.store.write({ revision: revision + 1, stamp: crypto.randomUUID(), resolutions: state.resolutions });
  }

  /** An entry as sent, checked with the deployment's rules: the entry, or every problem by field. */
  validate(raw: unknown): { entry: KbEntry } | { problems: Problem[] } {
    const parsed = kbEntrySchemaFor(this.linkHosts).safeParse(raw);
    if (parsed.success) return { entry: parsed.data };
    return { problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'entry', reason: issue.message })) };
  }

  /** Problems the draft's other entries have with this one (a follow-up to an id that does not exist). */
  crossProblems(files: readonly VersionFile[], entry: KbEntry): Problem[] {
    return checkEntryFiles(files, this.linkHosts)
      .filter((problem) => problem.entryId === entry.id && (problem.field === 'followUps' || problem.field === 'id'))
      .map((problem) => ({ field: problem.field ?? 'entry', reason: problem.reason }));
  }
}

export const invalid = (problems: Problem[]): Reply => ({ status: 400, body: { error: `the entry is not valid: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`, problems } });

const stale = (current: KbEntry): Reply => ({
  status: 409,
  body: { error: 'another lead changed this entry since you opened it; here is what it says now', current, etag: etagOf(current) },
  etag: etagOf(current),
});

/** Replaces entry locale/id when `ifMatch` is its ETag. */
export function putEdit(drafts: Drafts, entry: KbEntry, ifMatch: string): (files: VersionFile[]) => Edit {
  return (files) => {
    const current = findEntry(files, entry.locale, entry.id);
    if (!current) return { refuse: { status: 404, body: { error: `no entry ${entry.locale}/${entry.id} in the draft` } } };
    if (etagOf(current) !== ifMatch) return { refuse: stale(current) };
    const next = replaceEntry(files, entry);
    const problems = drafts.crossProblems(next, entry);
    if (problems.length > 0) return { refuse: invalid(problems) };
    return { files: next, reply: { status: 200, body: { entry, etag: etagOf(entry) }, etag: etagOf(entry) } };
  };
}

export function deleteEdit(locale: Locale, id: string, ifMatch: string): (files: VersionFile[]) => Edit {
  return (files) => {
    const current = findEntry(files, locale, id);
    if (!current) return { refuse: { status: 404, body: { error: `no entry ${locale}/${id} in the draft` } } };
    if (etagOf(current) !== ifMatch) return { refuse: stale(current) };
    return { files: removeEntry(files, locale, id), reply: { status: 204 } };
  };
}

export function addEdit(drafts: Drafts, entry: KbEntry, resolution?: Resolution): (files: VersionFile[]) => Edit {
  return (files) => {
    if (findEntry(files, entry.locale, entry.id)) return { refuse: { status: 409, body: { error: `${entry.locale}/${entry.id} is taken: choose another id, or edit that entry` } } };
    const next = addEntry(files, entry);
    const problems = drafts.crossProblems(next, entry);
    if (problems.length > 0) return { refuse: invalid(problems) };
    const body = { entry, etag: etagOf(entry) };
    return { files: next, reply: { status: 201, body: resolution ? { resolved: true, entry: body } : body, etag: etagOf(entry) }, ...(resolution ? { resolution } : {}) };
  };
}
