import { pino } from 'pino';
import { FakeChannel } from './channel';
import { realKnowledge } from './knowledge';
import { TEST_DIRECTLINE_SECRET } from './kefuServer';
import { loadConfig } from '../../bot/config';
import { createApp, type KefuApp } from '../../bot/server';
import { createBackend } from '../../bot/storage/backend';
import { MemoryKbSignalLog } from '../../bot/storage/kbSignalLog';

/** Secrets every instance of one deployment shares. */
export const SHARED_ENV = { OTP_SECRET: 'test-otp-secret-shared-by-every-instance-0123', DIRECTLINE_SECRET: TEST_DIRECTLINE_SECRET };

export interface Instance {
  app: KefuApp;
  url: string;
  stop(): Promise<void>;
}

/** One Kefu instance on a free loopback port, with its own connections to the shared Redis. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', KB_SIGNALS_FILE: '', ...SHARED_ENV, ...env });
  const logger = pino({ level: 'silent' });
  const backend = createBackend(config, logger);
  const app = createApp({ config, knowledge: realKnowledge(), logger, signals: backend.signals ?? new MemoryKbSignalLog(), backend });
  const port = await app.listen();
  return { app, url: `http://127.0.0.1:${port}`, stop: () => app.shutdown() };
}

/** A channel whose activities go to the instances in turn, as a round-robin load balancer sends them. */
export async function roundRobinChannel(instances: () => Instance[]): Promise<FakeChannel> {
  let next = 0;
  const channel = new FakeChannel(() => {
    const live = instances();
    return live[next++ % live.length]!.url;
  });
  await channel.start();
  return channel;
}
