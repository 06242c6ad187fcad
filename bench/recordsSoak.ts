import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { queryOnce } from '../test/support/postgres';
import type { BenchConnector } from './lib/connector';
import { KEFU_BENCH_ENV, startScript } from './lib/load';
import { converse, heapAfterGc, outboxDepth, redisFigures, rssOf, untilReady, type Progress } from './lib/probes';
import { table } from './lib/stats';

/**
 * The soak of section 9: short conversations, one after another for as long as it takes to
 * reach the count (or the time limit), with a small HOT_STATE_TTL_S, sampling what the bot
 * process, Redis and PostgreSQL hold as they go; then idle past the lifetime, one more
 * conversation (memory stores sweep on a write), and a last sample.
 */
export const SOAK_CONVERSATIONS = Number(process.env.BENCH_SOAK_CONVERSATIONS ?? 100_000);
const SOAK_MAX_S = Number(process.env.BENCH_SOAK_MAX_S ?? 600);
export const SOAK_HOT_S = 20;
const SOAK_PARALLEL = 100;
const SAMPLE_EVERY_MS = 15_000;

export interface SoakSample {
  seconds: number;
  conversations: number;
  heapMb: number;
  rssMb: number;
  redisMb?: number;
  redisKeys?: number;
  lines?: number;
  outbox?: number;
  label?: string;
}

export interface Soak {
  mode: string;
  samples: SoakSample[];
  progress: Progress;
  loadSeconds: number;
  loadAverage: number[];
}

/** One soak: a fresh bot with the heap probe, `env` on top of the bench's own (and a small hot lifetime). */
export async function soak(connector: BenchConnector, mode: string, env: Record<string, string>, stores: { redis?: Redis; databaseUrl?: string }, questions: readonly string[]): Promise<Soak> {
  const heapFile = path.join(os.tmpdir(), `kefu-bench-soak-heap-${process.pid}.json`);
  const probe = path.resolve(__dirname, 'lib', 'heapProbe.js');
  const bot = await startScript('dist/bot/index.js', { ...KEFU_BENCH_ENV, ...env, HOT_STATE_TTL_S: String(SOAK_HOT_S), NODE_OPTIONS: `--require ${probe}`, KEFU_BENCH_HEAP_FILE: heapFile });
  const loadAverage = os.loadavg();
  const started = Date.now();
  const samples: SoakSample[] = [];
  const progress: Progress = { done: 0, turns: 0, errors: 0 };
  // The database may hold the lines of earlier runs: the soak's own are counted.
  let linesBefore: number | undefined;
  const sample = async (label?: string): Promise<void> => {
    const [heap, rss] = [await heapAfterGc(bot, heapFile), await rssOf(bot.url)];
    const redis = stores.redis ? await redisFigures(stores.redis) : undefined;
    const allLines = stores.databaseUrl ? Number((await queryOnce(stores.databaseUrl, 'SELECT count(*) AS n FROM conversation_lines'))[0]?.n) : undefined;
    linesBefore ??= allLines;
    const lines = allLines === undefined ? undefined : allLines - (linesBefore ?? 0);
    samples.push({
      seconds: Math.round((Date.now() - started) / 1000),
      conversations: progress.done,
      heapMb: heap.heapUsed / 1024 / 1024,
      rssMb: rss / 1024 / 1024,
      redisMb: redis && redis.usedMemory / 1024 / 1024,
      redisKeys: redis?.keys,
      lines,
      outbox: stores.databaseUrl ? await outboxDepth(bot.url) : undefined,
      label,
    });
  };
  try {
    await untilReady(bot.url);
    await sample('started');
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
        if (sampling) await sample();
      }
    })();
    const loadStarted = Date.now();
    await converse(connector, bot.url, {
      count: SOAK_CONVERSATIONS,
      parallel: SOAK_PARALLEL,
      // One question each: the most conversations the time allows, which is what fills memory.
      script: (i) => [questions[i % questions.length] ?? ''],
      tag: `soak-${mode.replace(/\W+/g, '')}`,
      stopAt: started + SOAK_MAX_S * 1000,
      progress,
    });
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    sampling = false;
    await sampler;
    await sample('load over');
    // Past the hot lifetime and the 10 s rate-limit windows; the outbox drained.
    const idleUntil = Date.now() + (SOAK_HOT_S + 15) * 1000;
    while (Date.now() < idleUntil || (stores.databaseUrl && (await outboxDepth(bot.url)) !== 0 && Date.now() < idleUntil + 120_000)) await new Promise((resolve) => setTimeout(resolve, 1000));
    await connector.send(bot.url, `soak-after-${mode.replace(/\W+/g, '')}`, questions[0] ?? '');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await sample(`idle ${SOAK_HOT_S + 15} s, then one conversation`);
    return { mode, samples, progress, loadSeconds, loadAverage };
  } finally {
    await bot.stop();
    fs.rmSync(heapFile, { force: true });
  }
}

const fixed = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));

/** At most `rows` samples, evenly spread, always with the first and the labelled ones. */
function thinned(samples: readonly SoakSample[], rows: number): SoakSample[] {
  const step = Math.max(1, Math.ceil(samples.length / rows));
  return samples.filter((s, i) => s.label !== undefined || i % step === 0);
}

export function soakTable(result: Soak): string {
  const withStores = result.samples.some((s) => s.redisMb !== undefined);
  const withDatabase = result.samples.some((s) => s.lines !== undefined);
  const header = ['s', 'conversations', 'heap after GC MB', 'RSS MB', ...(withStores ? ['Redis used_memory MB', 'Redis keys'] : []), ...(withDatabase ? ['PostgreSQL lines', 'outbox'] : []), ''];
  const rows = thinned(result.samples, 14).map((s) => [
    s.seconds,
    s.conversations,
    fixed(s.heapMb),
    fixed(s.rssMb, 0),
    ...(withStores ? [fixed(s.redisMb, 2), s.redisKeys ?? '—'] : []),
    ...(withDatabase ? [s.lines ?? '—', s.outbox ?? '—'] : []),
    s.label ?? '',
  ]);
  return table(header, rows);
}

/** One line per soak: how much load it was and how the figures moved past the first lifetime. */
export function soakSummary(result: Soak): string {
  const { progress, loadSeconds } = result;
  // Samples taken under load once a whole lifetime of conversations is held: from there the memory should be flat.
  const steady = result.samples.filter((s) => s.label === undefined && s.seconds > SOAK_HOT_S * 2);
  const range = (pick: (s: SoakSample) => number | undefined, digits = 1) => {
    const values = steady.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length === 0 ? '—' : `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  };
  const last = result.samples.at(-1);
  return [
    `**${result.mode}:** ${progress.done.toLocaleString('en')} conversations (${progress.turns.toLocaleString('en')} turns, ${progress.errors} failed) in ${Math.round(loadSeconds)} s, ${Math.round(progress.turns / loadSeconds)} turns/s; load average ${result.loadAverage.map((l) => l.toFixed(2)).join(', ')} as it began.`,
    `Under load after the first ${SOAK_HOT_S * 2} s: heap after GC ${range((s) => s.heapMb)} MB, RSS ${range((s) => s.rssMb, 0)} MB` +
      (steady.some((s) => s.redisMb !== undefined) ? `, Redis used_memory ${range((s) => s.redisMb, 2)} MB, Redis keys ${range((s) => s.redisKeys, 0)}` : '') +
      `; idle past the lifetime: heap ${fixed(last?.heapMb)} MB, RSS ${fixed(last?.rssMb, 0)} MB` +
      (last?.redisMb !== undefined ? `, Redis ${fixed(last.redisMb, 2)} MB in ${last.redisKeys} keys` : '') +
      (last?.lines !== undefined ? `, PostgreSQL ${last.lines.toLocaleString('en')} lines, outbox ${last.outbox ?? '—'}` : '') +
      '.',
  ].join(' ');
}
