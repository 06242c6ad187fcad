import fs from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { BenchConnector } from './connector';
import { cpuMsOf, type Target } from './load';

/** A bot's resident memory as its /metrics reports it, bytes. */
export async function rssOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^kefu_process_resident_memory_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
}

/** Asks a bot started with the heap probe (bench/lib/heapProbe.ts) for its memory after a full collection. */
export async function heapAfterGc(bot: Target, file: string): Promise<NodeJS.MemoryUsage> {
  fs.rmSync(file, { force: true });
  process.kill(bot.pid, 'SIGUSR2');
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as NodeJS.MemoryUsage;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** What a Redis holds and has spent: INFO's used_memory (bytes), its key count, its CPU so far (ms). */
export async function redisFigures(redis: Redis): Promise<{ usedMemory: number; keys: number; cpuMs: number }> {
  const [memory, cpu, keys] = await Promise.all([redis.info('memory'), redis.info('cpu'), redis.dbsize()]);
  const field = (text: string, name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? NaN);
  return { usedMemory: field(memory, 'used_memory'), keys, cpuMs: (field(cpu, 'used_cpu_user') + field(cpu, 'used_cpu_sys')) * 1000 };
}

/**
 * CPU a PostgreSQL server has spent so far (ms): the postmaster's own and its reaped children's
 * (/proc's cutime and cstime), plus its live children's — the backends come and go with the
 * bot's connection pool, and what an exited one spent lands in its parent's child time.
 */
export function postgresCpuMs(serverDir: string): number {
  const pid = Number(fs.readFileSync(path.join(serverDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const stat = (p: number | string) => fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const own = stat(pid);
  let total = (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * 10;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = stat(entry);
      if (Number(fields[1]) === pid) total += cpuMsOf(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return total;
}

/** What a bot's /readyz says about its records: the writes waiting in the outbox (undefined without a database). */
export async function outboxDepth(url: string): Promise<number | undefined> {
  const body = (await (await fetch(`${url}/readyz`)).json()) as { outbox?: number };
  return body.outbox;
}

/** Polls a bot's /readyz until it answers 200 (with a database: after its migrations ran). */
export async function untilReady(url: string, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Conversations finished, turns answered and turns failed so far. */
export interface Progress {
  done: number;
  turns: number;
  errors: number;
}

/**
 * `count` conversations, `parallel` at a time, each saying the lines `script(i)` gives it one
 * after the other (each once the bot answered the previous); none begun after `stopAt`
 * (ms since the epoch). Failed turns are counted, not thrown, in `progress` (given, to be
 * read while they run) and in what it resolves with.
 */
export async function converse(
  connector: BenchConnector,
  url: string,
  options: { count: number; parallel: number; script: (i: number) => readonly string[]; tag: string; stopAt?: number; progress?: Progress },
): Promise<Progress> {
  const { count, parallel, script, tag, stopAt = Infinity, progress = { done: 0, errors: 0, turns: 0 } } = options;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < count && Date.now() < stopAt; i = next++) {
        for (const text of script(i)) {
          await connector.send(url, `${tag}-${i}`, text).then(
            () => progress.turns++,
            () => progress.errors++,
          );
        }
        progress.done++;
      }
    }),
  );
  return progress;
}
