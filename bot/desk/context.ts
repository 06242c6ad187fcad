import fs from 'node:fs';
import path from 'node:path';
import type { DeskState } from '../../knowledge/desk/draft';
import type { LabelledSet } from '../../knowledge/desk/evaluation';
import type { DeskStore } from '../../knowledge/desk/store';
import { parseLabelledSet } from '../../knowledge/eval';
import { buildKnowledgeFromEntries, type Knowledge, type KnowledgeSettings } from '../../knowledge/index';
import type { LocalizedAnswerValues } from '../../knowledge/placeholders';
import type { Locale } from '../../knowledge/schema';
import { entriesOf } from '../../knowledge/versions/diff';
import type { VersionFile } from '../../knowledge/versions/schema';
import type { Following } from '../../knowledge/versions/follow';
import type { VersionStore } from '../../knowledge/versions/store';
import type { AgentSessions } from '../handoff/sessions';
import type { Logger } from '../logger';
import type { KbSignalLog } from '../storage/kbSignalLog';
import { Drafts } from './drafts';
import type { StaffActions } from '../records/staffActions';

export interface DeskDeps {
  store: DeskStore;
  versions: VersionStore;
  /** The version this instance serves (0: the seed files), and a look at the store now. */
  following: Pick<Following, 'serving' | 'check' | 'onServed'>;
  /** The seed files (KB_DIR), what a draft starts from before the first publication. */
  seed: () => VersionFile[];
  linkHosts: readonly string[];
  settings: Omit<KnowledgeSettings, 'dir' | 'linkHosts'>;
  /** The knowledge this instance answers with. */
  served: () => Knowledge;
  values: LocalizedAnswerValues;
  signals: KbSignalLog;
  sessions: AgentSessions;
  logger: Logger;
  defaultLocale: Locale;
  /** Where the labelled dev sets are (knowledge/eval). */
  evalDir: string;
  /** The audit log of leads' changes (ids only); absent: only logged. */
  staff?: Pick<StaffActions, 'record'>;
}

export interface DeskContext extends DeskDeps {
  drafts: Drafts;
  /**
   * The draft as a Knowledge (the served one while nothing is drafted), built once per draft
   * revision, in slices between turns as a published version is: a lead's try must not hold up users.
   */
  draftKnowledge(state: DeskState): Promise<Knowledge>;
  /** The dev sets, read once; never the blind ones. */
  devSets(): LabelledSet[];
}

/** The dev sets the gate runs on: the original and the second dev set of each language. Blind sets stay unseen. */
export const DEV_SETS: readonly { file: string; locale: Locale }[] = [
  { file: 'zh-CN.tsv', locale: 'zh-CN' },
  { file: 'en-US.tsv', locale: 'en-US' },
  { file: 'dev2-zh-CN.tsv', locale: 'zh-CN' },
  { file: 'dev2-en-US.tsv', locale: 'en-US' },
];

export function deskContext(deps: DeskDeps): DeskContext {
  // The build itself is cached, so a try and an evaluation arriving together share one.
  let cached: { stamp: string; knowledge: Promise<Knowledge> } | undefined;
  let sets: LabelledSet[] | undefined;
  return {
    ...deps,
    drafts: new Drafts(deps.store, deps.versions, deps.seed, deps.linkHosts),
    async draftKnowledge(state) {
      if (!state.draft) return deps.served();
      if (cached?.stamp !== state.stamp) {
        const building = buildKnowledgeFromEntries(entriesOf(state.draft.files), deps.settings);
        cached = { stamp: state.stamp, knowledge: building };
        // A failed build is not kept: the next call tries again.
        building.catch(() => {
          if (cached?.knowledge === building) cached = undefined;
        });
      }
      return cached.knowledge;
    },
    devSets() {
      sets ??= DEV_SETS.map(({ file, locale }) => ({
        name: file.replace(/\.tsv$/, ''),
        locale,
        items: parseLabelledSet(fs.readFileSync(path.join(deps.evalDir, file), 'utf8')),
      }));
      return sets;
    },
  };
}
