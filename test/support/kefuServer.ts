import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig } from '../../bot/config';
import { createApp, type KefuApp } from '../../bot/server';
import { MemoryKbSignalLog } from '../../bot/storage/memory/kbSignalLog';
import type { Knowledge } from '../../knowledge/index';
import { FakeChannel } from './channel';
import { realKnowledge } from './knowledge';

export interface RunningKefu {
  app: KefuApp;
  url: string;
  channel: FakeChannel;
  signals: MemoryKbSignalLog;
  stop(): Promise<void>;
}

export const TEST_DIRECTLINE_SECRET = 'test-directline-secret-0123456789abcdef';

/** The real server on a free loopback port, with a fake Bot Framework channel beside it. */
export async function startKefu(env: Record<string, string> = {}, knowledge: Knowledge = realKnowledge(), logger: Logger = pino({ level: 'silent' })): Promise<RunningKefu> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    KB_SIGNALS_FILE: '',
    KB_RELOAD: 'false',
    // Each server its own versions folder: tests never see each other's publications (nor var/).
    KB_VERSIONS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-kb-versions-')),
    DIRECTLINE_SECRET: TEST_DIRECTLINE_SECRET,
    ...env,
  });
  const signals = new MemoryKbSignalLog();
  const app = createApp({ config, knowledge, logger, signals });
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const channel = new FakeChannel(() => url);
  await channel.start();
  return {
    app,
    url,
    channel,
    signals,
    async stop() {
      await app.shutdown();
      await channel.stop();
    },
  };
}

/** The newest one-time code the dev outbox holds for a number, as the user reads it from SMS. */
export async function latestCode(url: string, phone: string): Promise<string> {
  const messages = (await (await fetch(`${url}/api/dev/sms?phone=${phone}`)).json()) as { code: string | null }[];
  return messages.find((m) => m.code)?.code ?? '';
}

/**
 * A bot with its embedded defaults for a test file: started before its tests, stopped after
 * them. Read `kefu` inside tests (it exists once beforeAll ran).
 */
export function kefuForTests(): { readonly kefu: RunningKefu } {
  let kefu: RunningKefu | undefined;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu?.stop();
  });
  return {
    get kefu() {
      if (!kefu) throw new Error('kefuForTests: used before beforeAll ran');
      return kefu;
    },
  };
}
