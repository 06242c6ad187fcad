import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { newCaseId } from '../../domain/caseId';
import { flowMessages } from '../../dialogs/flows/flowMessages';
import { readCaseId } from '../../knowledge/caseId';
import { conversationReports, EVAL_SETS, evalReports, renderConversationTable, renderEvalTables } from '../../bot/kb/evalTable';

/** What the README says of the router and of case ids is what the code does today. */
const ROOT = path.resolve(__dirname, '../..');
const readme = () => fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

jest.setTimeout(120_000);

const reports = evalReports();

test('the README evaluation tables are the ones the router generates (npm run docs:eval)', () => {
  expect(readme()).toContain(renderEvalTables(reports));
});

test('the README conversation table is the one the conversation sets give through the conversation core (npm run docs:eval)', async () => {
  expect(readme()).toContain(renderConversationTable(await conversationReports()));
});

test('the generated figures are what `kb eval` prints for each set', async () => {
  for (const { name, file } of EVAL_SETS) {
    // dist/ is built by jest's global setup; the CLI runs exactly as `npm run kb -- eval` runs it.
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/bot/kb/cli.js', 'eval', path.join('knowledge', 'eval', file), '--json'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const printed = JSON.parse(stdout) as Record<string, unknown>;
    expect({ set: name, ...printed }).toEqual({ set: name, ...reports[name] });
  }
});

test("the README's example case ids are the bot's: the example it shows users, in the format it generates", () => {
  const ids = readme().match(/\bAP-[0-9A-Z-]+/g) ?? [];
  expect(ids.length).toBeGreaterThan(0);
  const shown = ['zh-CN', 'en-US'].map((locale) => readCaseId(flowMessages(locale as 'zh-CN' | 'en-US').asAsk));
  const generated = newCaseId(new Date('2026-11-22T10:00:00+08:00'));
  for (const id of ids) {
    expect(shown).toEqual([id, id]);
    expect(id.slice(0, 12)).toBe(generated.slice(0, 12));
    expect(readCaseId(id)).toBe(id);
  }
});
