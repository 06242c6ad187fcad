import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { SHARED_ENV } from '../../test/support/cluster';
import { freePort } from '../../test/support/redis';
import type { BenchConnector } from './connector';
import { percentile, turnsPerSecond } from './stats';

export interface LoadResult {
  turns: number;
  errors: number;
  /** How the errors went, by message (e.g. "HTTP 503"): count. */
  failures: Record<string, number>;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU the bot process spent per counted turn, in ms (NaN where /proc is not there to ask). */
  botCpuMs: number;
}

/** A bot under load: where it listens and which process it is. */
export interface Target {
  url: string;
  pid: number;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; USER_HZ 100). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Load from `conversations` users for `seconds` (after a ramp that is not counted; latency
 * is of the turns sent in the counted seconds), each sending the next line of `script` once
 * the previous one is answered: at once (closed loop, `intervalMs` 0 — the most turns per
 * second, with the queueing that comes with it), or one message every `intervalMs` (open
 * loop — latency at a steady load).
 */
async function load(connector: BenchConnector, bot: Target, conversations: number, seconds: number, script: readonly string[], tag: string, intervalMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  // Paced users all arrive within their first interval; closed-loop ones have all been
  // answered once within half a second at any rate worth measuring.
  const warmUntil = Date.now() + (intervalMs > 0 ? intervalMs : 500);
  const stopAt = warmUntil + seconds * 1000;
  // The bot's CPU is read at both ends of the counted seconds and divided by the turns it
  // answered in between (their rate, see turnsPerSecond, times the seconds).
  const mark = () => ({ at: performance.now(), cpu: cpuMsOf(bot.pid) });
  let first: ReturnType<typeof mark> | undefined;
  let last: ReturnType<typeof mark> | undefined;
  const opening = setTimeout(() => (first = mark()), warmUntil - Date.now());
  const closing = setTimeout(() => (last = mark()), stopAt - Date.now());
  const failures: Record<string, number> = {};
  const answeredAt: number[][] = Array.from({ length: conversations }, () => []);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.all(
    Array.from({ length: conversations }, async (_, i) => {
      const id = `${tag}-${i}-${Date.now()}`;
      // Paced users arrive spread over the first interval.
      await pause((i * intervalMs) / conversations);
      for (let n = 0; Date.now() < stopAt; n++) {
        const tick = Date.now();
        try {
          // Each user starts at their own line: at any moment the users send different
          // messages, as real ones do (all sending the same line at once would be any
          // per-message memo's best case).
          const took = await connector.send(bot.url, id, script[(i + n) % script.length] ?? '');
          const at = performance.now();
          if (first && !last) answeredAt[i]!.push(at);
          if (tick > warmUntil) latencies.push(took);
        } catch (error) {
          errors++;
          const what = error instanceof Error ? error.message.replace(id, '…') : String(error);
          failures[what] = (failures[what] ?? 0) + 1;
          await pause(50);
        }
        if (intervalMs > 0) await pause(Math.max(0, intervalMs - (Date.now() - tick)));
      }
    }),
  );
  clearTimeout(opening);
  clearTimeout(closing);
  const perSecond = turnsPerSecond(answeredAt);
  const turns = first && last ? (perSecond * (last.at - first.at)) / 1000 : NaN;
  const botCpuMs = first && last ? (last.cpu - first.cpu) / turns : NaN;
  return { turns, errors, failures, perSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99), botCpuMs };
}

export const closedLoop = (connector: BenchConnector, bot: Target, conversations: number, seconds: number, script: readonly string[], tag: string) =>
  load(connector, bot, conversations, seconds, script, tag, 0);

export const pacedLoop = (connector: BenchConnector, bot: Target, conversations: number, seconds: number, script: readonly string[], tag: string, intervalMs = 1000) =>
  load(connector, bot, conversations, seconds, script, tag, intervalMs);

/**
 * The environment every Kefu process of the benchmarks runs with: embedded defaults, no rate
 * limit in the way — neither per user nor per client address (the whole load comes from
 * 127.0.0.1, which the per-address limit would otherwise cut at 1 200 messages a minute).
 */
export const KEFU_BENCH_ENV = {
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  KB_SIGNALS_FILE: '',
  KB_RELOAD: 'false',
  RATE_LIMIT_MESSAGES: '10000',
  LIMIT_MESSAGES_PER_ADDRESS: '100000000/1m',
  LIMIT_CONVERSATIONS_PER_ADDRESS: '100000000/1h',
  ...SHARED_ENV,
};

/**
 * Starts a compiled script (dist/…) as a child process on a free port and waits until it
 * accepts connections. Its output goes nowhere: the load generator must not pay for reading
 * the bot's logs (the bot still writes them, as in production).
 */
export async function startScript(script: string, env: Record<string, string>): Promise<Target & { stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve(__dirname, '..', '..', '..', script)], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`${script} did not listen within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
