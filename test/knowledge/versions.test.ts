import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../bot/kb/cli';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import { nextVersion, publishVersion, rollbackTo } from '../../knowledge/versions/publish';
import { readDraft } from '../../knowledge/versions/draft';
import { KnowledgeBaseError, readKnowledgeFiles } from '../../knowledge/loader';
import { draftDir, WITHDRAW_ENTRY } from '../support/kbDrafts';

jest.setTimeout(60_000);

const lead = { publishedBy: 'lin', message: '新增提现到账时间' };
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-versions-'));

function captured(run: () => Promise<number> | number): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  return Promise.resolve(run())
    .then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }))
    .finally(() => {
      log.mockRestore();
      error.mockRestore();
    });
}

test('a version records who, when, why and the diff by entry', () => {
  const seed = readDraft(draftDir());
  const first = nextVersion(undefined, seed, lead, new Date('2025-01-02T03:04:05Z'));
  expect(first.number).toBe(1);
  expect(first.diff.added.length).toBeGreaterThan(50);
  const edited = readDraft(draftDir(WITHDRAW_ENTRY)).map((file) =>
    file.path === 'zh-CN/unlock.yaml' ? { ...file, entries: file.entries.map((e, i) => (i === 0 ? { ...e, answer: `${e.answer ?? ''}（已更新）` } : e)) } : file,
  );
  const second = nextVersion(first, edited, lead, new Date('2025-01-02T04:00:00Z'));
  const firstUnlock = seed.find((f) => f.path === 'zh-CN/unlock.yaml')?.entries[0]?.id;
  expect(second).toMatchObject({ number: 2, publishedBy: 'lin', message: '新增提现到账时间', publishedAt: '2025-01-02T04:00:00.000Z' });
  expect(second.diff).toEqual({ added: ['zh-CN/withdraw-arrival-time'], removed: [], changed: [`zh-CN/${firstUnlock}`] });
});

test('the folder store keeps its versions across a restart, rolls back by publishing, and keeps at most KB_VERSIONS_KEPT', async () => {
  const dir = tempDir();
  const store = new FolderVersionStore(dir, 3);
  await publishVersion(store, readDraft(draftDir()), { publishedBy: 'seed', message: '初始版本' });
  await publishVersion(store, readDraft(draftDir(WITHDRAW_ENTRY)), lead);
  const back = await rollbackTo(store, 1, { publishedBy: 'lin', message: '撤回提现条目' });
  expect(back).toMatchObject({ number: 3, rollbackOf: 1, diff: { added: [], removed: ['zh-CN/withdraw-arrival-time'], changed: [] } });
  expect(back.files).toEqual((await store.get(1))?.files);

  // A second store over the same folder (the bot restarted) sees the same history.
  const again = new FolderVersionStore(dir, 3);
  expect((await again.list()).map((v) => [v.number, v.publishedBy, v.message])).toEqual([
    [3, 'lin', '撤回提现条目'],
    [2, 'lin', '新增提现到账时间'],
    [1, 'seed', '初始版本'],
  ]);
  await publishVersion(again, readDraft(draftDir(WITHDRAW_ENTRY)), lead);
  expect((await again.list()).map((v) => v.number)).toEqual([4, 3, 2]);
  expect(fs.readdirSync(dir).filter((name) => name.endsWith('.json'))).toHaveLength(3);
  // A number already taken is refused: two publishers never overwrite each other.
  const taken = await again.get(4);
  expect(taken && (await again.put(taken))).toBe(false);
});

test('kb publish refuses a broken draft with the reason; versions, rollback and export --yaml round-trip the files', async () => {
  const env = { KB_VERSIONS_DIR: tempDir() };
  const broken = draftDir('- id: Not Valid\n  locale: zh-CN\n');
  const refused = await captured(() => main(['publish', broken, '--by', 'lin', '--message', '坏草稿'], env)).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(KnowledgeBaseError);
  expect(String(refused)).toContain('must be lowercase words joined by hyphens');

  expect((await captured(() => main(['publish', draftDir(), '--by', 'seed', '--message', '初始版本'], env))).code).toBe(0);
  const published = await captured(() => main(['publish', draftDir(WITHDRAW_ENTRY), '--by', 'lin', '--message', '新增提现到账时间'], env));
  expect(published.out).toContain('Published version 2 (+1 -0 ~0)');
  expect(published.out).toContain('+ zh-CN/withdraw-arrival-time');
  const rolled = await captured(() => main(['rollback', '1', '--by', 'lin', '--message', '撤回'], env));
  expect(rolled.out).toContain('Published version 3 (+0 -1 ~0, equal to version 1)');
  const listed = await captured(() => main(['versions'], env));
  expect(listed.out.split('\n')).toHaveLength(3);
  expect(listed.out).toMatch(/^\s+3 .* lin {2}\+0 -1 ~0 {2}\(rollback to 1\) {2}撤回$/m);

  const out = tempDir();
  expect((await captured(() => main(['export', '--yaml', out, '--version', '2'], env))).out).toContain('Wrote version 2');
  const exported = readKnowledgeFiles(out);
  expect(exported.problems).toEqual([]);
  expect(exported.files).toEqual(readDraft(draftDir(WITHDRAW_ENTRY)));
});
