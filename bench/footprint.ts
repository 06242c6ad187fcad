import { Redis } from 'ioredis';
import { RedisServer } from '../test/support/redis';
import { BenchConnector } from './lib/connector';
import { KEFU_BENCH_ENV, startScript } from './lib/load';
import { mb, ms, percentile, table } from './lib/stats';

/**
 * 4. Footprint: Redis bytes per idle conversation, process RSS with 10 000 conversations
 * stored in memory, and start-up time until /readyz answers 200.
 */

async function rssOf(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^kefu_process_resident_memory_bytes (\S+)/m.exec(text)?.[1] ?? NaN);
}

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
    const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const keys = (await redis.dbsize()) - keysBefore;
    await kefu.stop();
    rows.push([
      'Redis memory per idle conversation (one answered question)',
      `${Math.round((after - before) / count)} bytes in ${(keys / count).toFixed(1)} keys (state, conversation reference, transcript; and the user's rate-limit window, gone after 10 s)`,
    ]);

    // RSS with 10 000 conversations in memory.
    const memory = await startScript('dist/bot/index.js', KEFU_BENCH_ENV);
    const rssStart = await rssOf(memory.url);
    await fill(connector, memory.url, 10_000, 200, '忘记密码怎么办', 'rss');
    const rssFull = await rssOf(memory.url);
    await memory.stop();
    rows.push(['Process RSS, fresh → with 10 000 stored conversations (memory storage)', `${mb(rssStart)} MB → ${mb(rssFull)} MB`]);

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
