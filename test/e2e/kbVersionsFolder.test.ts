import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../bot/kb/cli';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { draftDir, WITHDRAW_ANSWER, WITHDRAW_ENTRY, WITHDRAW_QUESTION } from '../support/kbDrafts';
import { until } from '../support/until';

/** The embedded default: versions in a local folder, which a restarted bot serves again. */
jest.setTimeout(90_000);

const answerTo = async (kefu: RunningKefu, question: string) => (await kefu.channel.ask(`kbf-${Math.random()}`, question))[0]?.text ?? '';

test('a version published with the CLI is served by the running bot, and again after a restart', async () => {
  const env = { KB_VERSIONS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-versions-')) };
  const first = await startKefu(env);
  try {
    expect(await answerTo(first, WITHDRAW_QUESTION)).not.toContain(WITHDRAW_ANSWER);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await main(['publish', draftDir(WITHDRAW_ENTRY), '--by', 'lin', '--message', '新增提现到账时间'], env);
    log.mockRestore();
    await until(async () => (await answerTo(first, WITHDRAW_QUESTION)).includes(WITHDRAW_ANSWER));
  } finally {
    await first.stop();
  }
  const restarted = await startKefu(env);
  try {
    expect(await answerTo(restarted, WITHDRAW_QUESTION)).toContain(WITHDRAW_ANSWER);
  } finally {
    await restarted.stop();
  }
});

test('the default versions folder is under var/, which git ignores', () => {
  expect(fs.readFileSync(path.resolve(__dirname, '../../.gitignore'), 'utf8')).toMatch(/^var\/$/m);
  const { loadConfig } = jest.requireActual<typeof import('../../bot/config')>('../../bot/config');
  expect(loadConfig({}, 'tool').KB_VERSIONS_DIR).toBe('var/kb-versions');
});
