import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import { publishVersion } from '../../knowledge/versions/publish';
import { readDraft } from '../../knowledge/versions/draft';
import { checkEntryFiles } from '../../knowledge/loader';
import { draftDir } from '../support/kbDrafts';

/**
 * An answer may link to a host on KB_LINK_HOSTS. A version (or a desk draft) holding one must
 * read back: its links are judged against the allow-list of the day it is served, not refused
 * by the store that keeps it.
 */
const LINKED = `
- id: withdraw-arrival-time
  locale: zh-CN
  question: 提现多久能到账？
  alternates: [提现怎么还没到账]
  answer: 提现到银行卡一般 2 小时内到账，详见 [帮助中心](https://help.example.com/withdraw)。
`;

test('a version whose answer links to an allowed host is published, read back, and still checked against the allow-list', async () => {
  const files = readDraft(draftDir(LINKED), ['help.example.com']);
  const store = new FolderVersionStore(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-linked-')));
  await publishVersion(store, files, { publishedBy: 'lin', message: '带帮助链接' });
  const version = await store.get(1);
  expect(version?.files.flatMap((f) => f.entries).find((e) => e.id === 'withdraw-arrival-time')?.answer).toContain('https://help.example.com/withdraw');
  expect(checkEntryFiles(version?.files ?? [], ['help.example.com'])).toEqual([]);
  // With the host taken off the list since, serving it is refused with the reason.
  expect(checkEntryFiles(version?.files ?? [], []).map((p) => p.reason)).toEqual([expect.stringMatching(/help\.example\.com, which is not on KB_LINK_HOSTS/)]);
  fs.rmSync(store.dir, { recursive: true, force: true });
});
