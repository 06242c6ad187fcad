import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { FakeChannel } from './channel';
import { startKefu, TEST_DIRECTLINE_SECRET, type RunningKefu } from './kefuServer';
import { RedisServer } from './redis';

/** Secrets every instance of one deployment shares. */
export const SHARED_ENV = { OTP_SECRET: 'test-otp-secret-shared-by-every-instance-0123', DIRECTLINE_SECRET: TEST_DIRECTLINE_SECRET };

const ROOT = path.resolve(__dirname, '../..');

export interface Instance {
  url: string;
  /** The 'kefu listening' log line it started with. */
  listening: Record<string, unknown>;
  /** SIGTERM: finishes in-flight turns, then exits. */
  stop(): Promise<void>;
  /** SIGKILL: gone at once, as a crashed machine. */
  kill(): Promise<void>;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/**
 * A real Kefu process (`node dist/bot/index.js`, built by the jest global setup) on a free
 * loopback port; its JSON log is read for the port it announces.
 */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child: ChildProcess = spawn(process.execPath, ['dist/bot/index.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', KB_SIGNALS_FILE: '', ...SHARED_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const listening = await new Promise<Record<string, unknown> & { port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kefu did not start within 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`kefu exited with ${code}: ${stderr}`)));
    // Every line must be read, or a busy instance would block on a full pipe.
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('kefu listening')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as Record<string, unknown> & { port: number });
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { url: `http://127.0.0.1:${listening.port}`, listening, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL'), stderr: () => stderr };
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

/** A process the file's `beforeAll` started, read inside a test. */
function started<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not started: read it inside a test`);
  return value;
}

/**
 * One instance on the test file's own redis-server, with a channel talking to it: started before
 * the file's tests and stopped, Redis destroyed, after them. Read them as `own.redis`, `own.kefu`
 * and `own.channel` inside the tests.
 */
export function instanceOnOwnRedis(env: Record<string, string> = {}): { readonly redis: RedisServer; readonly kefu: Instance; readonly channel: FakeChannel } {
  let redis: RedisServer | undefined;
  let kefu: Instance | undefined;
  let channel: FakeChannel | undefined;
  beforeAll(async () => {
    redis = await RedisServer.start();
    const url = redis.url;
    kefu = await startInstance({ REDIS_URL: url, ...env });
    const started = kefu;
    channel = new FakeChannel(() => started.url);
    await channel.start();
  });
  afterAll(async () => {
    await channel?.stop();
    await kefu?.stop();
    await redis?.destroy();
  });
  return {
    get redis() {
      return started(redis, 'redis');
    },
    get kefu() {
      return started(kefu, 'kefu');
    },
    get channel() {
      return started(channel, 'channel');
    },
  };
}

/**
 * Two bot processes for `describe.each(['memory', 'redis'])`: in memory one process serves as
 * both; on Redis two processes share the file's own redis-server (and one OTP secret). Started
 * before the describe's tests, stopped after them; read `pair.a` and `pair.b` inside the tests.
 */
export function kefuPair(kind: string, env: Record<string, string> = {}): { readonly a: RunningKefu; readonly b: RunningKefu } {
  let redis: RedisServer | undefined;
  let a: RunningKefu | undefined;
  let b: RunningKefu | undefined;
  beforeAll(async () => {
    let all = env;
    if (kind === 'redis') {
      redis = await RedisServer.start();
      all = { ...env, REDIS_URL: redis.url, OTP_SECRET: SHARED_ENV.OTP_SECRET };
    }
    a = await startKefu(all);
    b = kind === 'redis' ? await startKefu(all) : a;
  });
  afterAll(async () => {
    if (b && b !== a) await b.stop();
    await a?.stop();
    await redis?.destroy();
  });
  return {
    get a() {
      return started(a, 'a');
    },
    get b() {
      return started(b, 'b');
    },
  };
}
