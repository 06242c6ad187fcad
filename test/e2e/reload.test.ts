import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { openKnowledge } from '../../knowledge/index';
import { startKefu } from '../support/kefuServer';
import { until } from '../support/until';
import { WITHDRAW_ENTRY } from '../support/kbDrafts';

/** Knowledge files edited while the bot runs: reloaded when valid, ignored (and logged) when not. */
jest.setTimeout(30_000);


test('a new entry is answered without a restart; a broken file keeps the old knowledge base', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-'));
  fs.cpSync(path.resolve(__dirname, '../../knowledge/data'), dir, { recursive: true });
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
  const kefu = await startKefu({ KB_DIR: dir, KB_RELOAD: 'true' }, openKnowledge({ dir }), logger);
  const answerTo = async (question: string) => {
    const [reply] = await kefu.channel.ask(`reload-${Math.random()}`, question);
    return reply?.text ?? '';
  };
  try {
    expect(await answerTo('提现怎么还没到账')).not.toContain('2 小时内到账');
    fs.writeFileSync(path.join(dir, 'zh-CN', 'withdraw.yaml'), WITHDRAW_ENTRY);
    await until(async () => (await answerTo('提现怎么还没到账')).includes('2 小时内到账'));
    expect(lines.join('')).toContain('knowledge base reloaded');

    fs.writeFileSync(path.join(dir, 'zh-CN', 'broken.yaml'), '- id: Not Valid\n  locale: zh-CN\n');
    await until(async () => lines.join('').includes('knowledge base NOT reloaded'));
    expect(lines.join('')).toContain('must be lowercase words joined by hyphens');
    expect(await answerTo('提现怎么还没到账')).toContain('2 小时内到账');
    expect(await answerTo('忘记密码怎么办')).toMatch(/密码/);
  } finally {
    await kefu.stop();
  }
});
