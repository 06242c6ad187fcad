import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { RedisServer } from '../test/support/redis';
import { BenchConnector } from './lib/connector';
import { KEFU_BENCH_ENV, startScript } from './lib/load';
import { heapAfterGc, rssOf } from './lib/probes';
import { mb, ms, percentile, table } from './lib/stats';

/**
 * 4. Footprint: Redis bytes per idle conversation, process RSS with 10 000 conversations
 * stored in memory, and start-up time until /readyz answers 200.
 */

/** How long a process is left idle after a full collection before its RSS is read again. */
const SETTLE_MS = 40_000;

/** Each of `count` conversations says `text` once, `parallel` at a time. */
async function fill(connector: BenchConnector, url: string, count: number, parallel: number, text: string, tag: string): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < count; i = next++) await connector.send(url, `${tag}-${i}`, text);
    }),
  );
}

export async function footprintBenchmark(): Promise<string> {
  const connector = new BenchConnector();
  await connector.start();
  const rows: (string | number)[][] = [];
  const redisServer = await RedisServer.start();
  const redis = new Redis(redisServer.url);
  try {
    // Redis bytes per idle conversation: one answered question each, then nothing.
    const kefu = await startScript('dist/bot/index.js', { ...KEFU_BENCH_ENV, REDIS_URL: redisServer.url });
    await fill(connector, kefu.url, 50, 10, '忘记密码怎么办', 'warm');
    const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const keysBefore = await redis.dbsize();
    const count = 2000;
    await fill(connector, kefu.url, count, 100, '忘记密码怎么办', 'idle');
    const busy = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    // Idle: the users' rate-limit windows (10 s) have expired, as they do for a conversation nobody writes in.
    const idleBy = Date.now() + 40_000;
    while ((await redis.dbsize()) - keysBefore > 3 * count && Date.now() < idleBy) await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const keys = (await redis.dbsize()) - keysBefore;
    await kefu.stop();
    rows.push([
      'Redis memory per idle conversation (one answered question; after its 10 s rate-limit window)',
      `${Math.round((after - before) / count)} bytes in ${(keys / count).toFixed(1)} keys (state, conversation reference, transcript); ${Math.round((busy - before) / count)} bytes with the window`,
    ]);

    // RSS and the heap in use after a full collection, with 10 000 conversations in memory.
    const heapFile = path.join(os.tmpdir(), `kefu-bench-heap-${process.pid}.json`);
    const probe = path.resolve(__dirname, 'lib', 'heapProbe.js');
    const memory = await startScript('dist/bot/index.js', { ...KEFU_BENCH_ENV, NODE_OPTIONS: `--require ${probe}`, KEFU_BENCH_HEAP_FILE: heapFile });
    await fill(connector, memory.url, 50, 10, '忘记密码怎么办', 'warm');
    const rssStart = await rssOf(memory.url);
    const heapStart = await heapAfterGc(memory, heapFile);
    const stored = 10_000;
    await fill(connector, memory.url, stored, 200, '忘记密码怎么办', 'rss');
    const rssFull = await rssOf(memory.url);
    const heapFull = await heapAfterGc(memory, heapFile);
    // An idle process allocates nothing, so nothing collects; after a full collection V8's memory
    // reducer gives the emptied pages back within seconds.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const rssSettled = await rssOf(memory.url);
    await memory.stop();
    fs.rmSync(heapFile, { force: true });
    rows.push([
      `Memory storage: heap kept per idle conversation (one answered question; V8 heap in use after a full collection, ${stored} conversations)`,
      `${Math.round((heapFull.heapUsed - heapStart.heapUsed) / stored)} bytes`,
    ]);
    rows.push([
      `Process RSS, fresh → with ${stored} stored conversations (memory storage): right after the load; after a full collection and ${SETTLE_MS / 1000} s idle`,
      `${mb(rssStart)} MB → ${mb(rssFull)} MB; ${mb(rssSettled)} MB`,
    ]);

    // Start-up to ready.
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const instance = await startScript('dist/bot/index.js', KEFU_BENCH_ENV);
      while ((await fetch(`${instance.url}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 10));
      times.push(performance.now() - started);
      await instance.stop();
    }
    rows.push(['Start-up: process spawn until `/readyz` answers 200 (median of 3)', `${ms(percentile(times, 50))} ms`]);
  } finally {
    redis.disconnect();
    await redisServer.destroy();
    await connector.stop();
  }
  return table(['measure', 'value'], rows);
}
