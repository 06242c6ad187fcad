import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addEdit, Drafts } from '../../bot/desk/drafts';
import { FolderDeskStore } from '../../bot/desk/folderDeskStore';
import { MAX_DRAFT_ENTRIES } from '../../knowledge/desk/draft';
import type { KbEntry } from '../../knowledge/schema';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import type { VersionFile } from '../../knowledge/versions/schema';

/** The draft is bounded: a page or script that adds in a loop is stopped with 413, and nothing is stored past the bound. */
const entry = (n: number, answer = '好的。'): KbEntry => ({ id: `bulk-${n}`, kind: 'faq', locale: 'zh-CN', question: `批量问题 ${n}`, alternates: [`批量 ${n}`], answer, tags: [] });

function draftsOver(seed: VersionFile[]): { drafts: Drafts; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-desk-bounds-'));
  return { drafts: new Drafts(new FolderDeskStore(path.join(dir, 'desk')), new FolderVersionStore(dir), () => seed, []), dir };
}

test(`a draft of ${MAX_DRAFT_ENTRIES} entries takes no more (413)`, async () => {
  const { drafts, dir } = draftsOver([{ path: 'zh-CN/bulk.yaml', entries: Array.from({ length: MAX_DRAFT_ENTRIES }, (_, n) => entry(n)) }]);
  const reply = await drafts.update(addEdit(drafts, entry(MAX_DRAFT_ENTRIES)));
  expect(reply).toEqual({ status: 413, body: { error: `a draft holds at most ${MAX_DRAFT_ENTRIES} entries` } });
  expect((await drafts.read()).revision).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a draft past 5 MB is refused with 413 and the size', async () => {
  const { drafts, dir } = draftsOver([{ path: 'zh-CN/bulk.yaml', entries: Array.from({ length: 1200 }, (_, n) => entry(n, '长'.repeat(2000))) }]);
  const reply = await drafts.update(addEdit(drafts, entry(5000)));
  expect(reply.status).toBe(413);
  expect(reply.body).toEqual({ error: expect.stringMatching(/^the draft would be \d+\.\d MB; at most 5 MB$/) });
  expect((await drafts.read()).revision).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
});
