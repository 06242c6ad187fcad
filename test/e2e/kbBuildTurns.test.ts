import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import * as loader from '../../knowledge/loader';
import type { KbEntry } from '../../knowledge/schema';
import { publishVersion } from '../../knowledge/versions/publish';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import { startKefu } from '../support/kefuServer';
import { WITHDRAW_ANSWER, WITHDRAW_QUESTION } from '../support/kbDrafts';
import { realKnowledge } from '../support/knowledge';
import { until } from '../support/until';

/**
 * A running bot builds a published version without holding up turns: a user who writes while
 * it builds is answered (by the version served) before the new one is served, and /healthz
 * says which version is served.
 */
jest.setTimeout(90_000);

const WITHDRAW: KbEntry = {
  id: 'withdraw-arrival-time',
  kind: 'faq',
  locale: 'zh-CN',
  question: '提现多久能到账？',
  alternates: [WITHDRAW_QUESTION, '钱提出来了银行卡没收到'],
  answer: '提现到银行卡一般 2 小时内到账，节假日可能顺延到下一个工作日。',
  tags: [],
};

afterEach(() => jest.restoreAllMocks());

const servedVersion = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { version: number }).version;
const seedFiles = () => (['zh-CN', 'en-US'] as const).map((locale) => ({ path: `${locale}/all.yaml`, entries: realKnowledge().kb.entries.filter((e) => e.locale === locale) }));

test('a user who writes while a published version builds is answered before it is served; /healthz then names the version', async () => {
  const events: string[] = [];
  // The bot's log, read as it is written: "served" is the moment the new version answers.
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (String(chunk).includes('knowledge base version served')) events.push('served');
      done();
    },
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-versions-'));
  const kefu = await startKefu({ KB_VERSIONS_DIR: dir }, realKnowledge(), pino({ level: 'info' }, log));
  try {
    expect(await servedVersion(kefu.url)).toBe(0);
    let turn: Promise<void> | undefined;
    // The build of a version starts with checking its files: the user writes at that moment.
    const check = loader.checkEntryFiles;
    jest.spyOn(loader, 'checkEntryFiles').mockImplementation((files, hosts) => {
      turn ??= kefu.channel.ask('build-turn', '怎么修改绑定的手机号').then((replies) => {
        events.push(replies.length > 0 ? 'answered' : 'no reply');
      });
      return check(files, hosts);
    });
    const store = new FolderVersionStore(dir);
    await publishVersion(store, seedFiles().map((file) => (file.path.startsWith('zh-CN') ? { ...file, entries: [...file.entries, WITHDRAW] } : file)), { publishedBy: 'lin', message: '新增提现到账时间' });
    await until(async () => events.includes('served') && turn !== undefined);
    await turn;
    expect(events).toEqual(['answered', 'served']);
    expect(await servedVersion(kefu.url)).toBe(1);
    const [reply] = await kefu.channel.ask('after-build', WITHDRAW_QUESTION);
    expect(reply?.text).toContain(WITHDRAW_ANSWER);
    await store.close();
  } finally {
    await kefu.stop();
  }
});
