import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_AGENTS_FILE, hashPassword } from '../../bot/handoff/agents';

/** A second lead besides the demo's `lin`, so two leads can race over one entry. */
export const SECOND_LEAD = ['mei', 'kefu-test-mei'] as const;

/** The demo agents file plus `mei`, a second lead; the directory is removed by `remove`. */
export async function agentsFileWithTwoLeads(): Promise<{ file: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-desk-agents-'));
  const file = path.join(dir, 'agents.yaml');
  const hash = await hashPassword(SECOND_LEAD[1]);
  fs.writeFileSync(file, `${fs.readFileSync(DEMO_AGENTS_FILE, 'utf8').trimEnd()}\n  - id: ${SECOND_LEAD[0]}\n    name: 梅组长\n    role: lead\n    passwordHash: ${hash}\n`);
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** An entry as the API returns it. */
export interface EntryJson {
  id: string;
  locale: string;
  kind?: string;
  question: string;
  alternates: string[];
  answer?: string;
  [field: string]: unknown;
}
