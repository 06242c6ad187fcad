import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { connectRedis, connectSubscriber, untilReady } from '../bot/storage/redis/connection';
import { RedisVersionStore } from '../bot/storage/redis/kbVersionStore';
import { DEFAULT_CLASSIFIER_OPTIONS, featuresOf, MAX_TRAINING_STEPS, MAX_WEIGHTS } from '../knowledge/classifier';
import { parseLabelledSet } from '../knowledge/eval';
import { buildKnowledgeFromEntries, knowledgeFromEntries } from '../knowledge/index';
import { isFaq, type Locale } from '../knowledge/schema';
import { readDraft } from '../knowledge/versions/draft';
import { publishVersion } from '../knowledge/versions/publish';
import type { VersionFile } from '../knowledge/versions/schema';
import { RedisServer } from '../test/support/redis';
import { BenchConnector } from './lib/connector';
import { closedLoop, KEFU_BENCH_ENV, pacedLoop, startScript, type LoadResult, type Target } from './lib/load';
import { ms, percentile, table } from './lib/stats';
import { syntheticFiles } from './lib/syntheticKb';

/**
 * 8. Publishing while serving: two Kefu processes sharing one Redis; a version published
 * through the versions store (as `kb publish` and the knowledge desk do) and the time until
 * each instance's /healthz names it; the turn latency of 100 conversations on one instance
 * while it builds versions, against the same load with nothing published; and, in this
 * process, how long a build holds the event loop at once and in slices.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PUBLICATIONS = 3;
const CONVERSATIONS = 100;
const PACED_SECONDS = Number(process.env.BENCH_PUBLISH_SECONDS ?? 8);
const SERVED_WITHIN_MS = 60_000;
const POLL_MS = 10;

interface Size {
  label: string;
  files: VersionFile[];
}

interface Measured {
  size: Size;
  /** Publication stored → /healthz names it, per publication, on A and on B. */
  servedMs: { a: number[]; b: number[] };
  quiet: LoadResult;
  publishing: LoadResult;
  /** Versions B built and served during the publishing run. */
  builds: number;
}

const entriesOf = (files: readonly VersionFile[]) => files.flatMap((f) => f.entries);

async function servedVersion(target: Target): Promise<number> {
  try {
    return ((await (await fetch(`${target.url}/healthz`)).json()) as { version?: number }).version ?? -1;
  } catch {
    return -1;
  }
}

/** Milliseconds from `since` until the instance serves version `number` (NaN past the limit). */
async function servedAfter(target: Target, number: number, since: number): Promise<number> {
  while (performance.now() - since < SERVED_WITHIN_MS) {
    if ((await servedVersion(target)) >= number) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return NaN;
}

/** The longest the event loop waited (a 1 ms timer's lateness, at most) while `work` ran, and how long it took. */
async function longestPause(work: () => Promise<unknown>): Promise<{ tookMs: number; pauseMs: number }> {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  const started = performance.now();
  await work();
  const tookMs = performance.now() - started;
  running = false;
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { tookMs, pauseMs: longest };
}

/** What the classifier limits decide at this size: training steps and weights of each locale's entry classifier. */
function classifierLimits(size: Size): (string | number)[][] {
  return (['zh-CN', 'en-US'] as Locale[]).map((locale) => {
    const entries = entriesOf(size.files).filter((e) => e.locale === locale && e.kind !== 'act');
    const phrasings = entries.flatMap((e) => [e.question, ...e.alternates]);
    const labels = entries.filter(isFaq).length + (entries.some((e) => !isFaq(e)) ? 1 : 0);
    const steps = labels * phrasings.length * DEFAULT_CLASSIFIER_OPTIONS.epochs;
    const weights = labels * new Set(phrasings.flatMap((text) => featuresOf(text, locale))).size;
    const built = steps <= MAX_TRAINING_STEPS && weights <= MAX_WEIGHTS;
    const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;
    return [size.label, locale, labels, phrasings.length, millions(steps), millions(weights), built ? 'trained' : '**not trained: retrieval alone**'];
  });
}

async function inProcess(sizes: readonly Size[]): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  for (const size of sizes) {
    const entries = entriesOf(size.files);
    // The first of each is unmeasured: V8 optimises on it.
    await longestPause(async () => knowledgeFromEntries(entries, {}));
    await longestPause(() => buildKnowledgeFromEntries(entries, {}));
    const once = await longestPause(async () => knowledgeFromEntries(entries, {}));
    const sliced = await longestPause(() => buildKnowledgeFromEntries(entries, {}));
    rows.push([size.label, ms(once.tookMs), ms(once.pauseMs), ms(sliced.tookMs), ms(sliced.pauseMs)]);
  }
  return rows;
}

/** The zh-CN dev set's questions: the messages the conversations send, in turn. */
function devQuestions(): string[] {
  return parseLabelledSet(fs.readFileSync(path.join(ROOT, 'knowledge', 'eval', 'zh-CN.tsv'), 'utf8')).map((item) => item.question);
}

export async function publishBenchmark(): Promise<string> {
  const loadAtStart = os.loadavg();
  const seed = readDraft(path.join(ROOT, 'knowledge', 'data'));
  const sizes: Size[] = [
    { label: `today's (${entriesOf(seed).length} entries)`, files: seed },
    { label: '1 000 entries (synthetic)', files: syntheticFiles(seed, 1000) },
  ];
  const limits = sizes.flatMap(classifierLimits);
  const stalls = await inProcess(sizes);

  const script = devQuestions();
  const redis = await RedisServer.start(['--appendfsync', 'everysec']);
  const connector = new BenchConnector();
  await connector.start();
  const env = { ...KEFU_BENCH_ENV, REDIS_URL: redis.url };
  const a = await startScript('dist/bot/index.js', env);
  const b = await startScript('dist/bot/index.js', env);
  const settings = { url: redis.url, commandTimeoutMs: 5000 };
  const silent = pino({ level: 'silent' });
  const commands = connectRedis(settings, silent);
  const subscriber = connectSubscriber(settings, silent);
  const measured: Measured[] = [];
  try {
    if (!(await untilReady(commands, 5000))) throw new Error('Redis is not reachable');
    const store = new RedisVersionStore(commands, subscriber);
    let publications = 0;
    const publish = async (size: Size) => {
      const version = await publishVersion(store, size.files, { publishedBy: 'bench', message: `bench publication ${++publications}` });
      return { number: version.number, at: performance.now() };
    };
    await closedLoop(connector, b, CONVERSATIONS, 5, script, 'warm');
    for (const size of sizes) {
      const servedMs: Measured['servedMs'] = { a: [], b: [] };
      for (let i = 0; i < PUBLICATIONS; i++) {
        const { number, at } = await publish(size);
        const [onA, onB] = await Promise.all([servedAfter(a, number, at), servedAfter(b, number, at)]);
        servedMs.a.push(onA);
        servedMs.b.push(onB);
      }
      const quiet = await pacedLoop(connector, b, CONVERSATIONS, PACED_SECONDS, script, `quiet-${publications}`);
      // Publications one after another for the whole run: B is building for most of it.
      let stop = false;
      let builds = 0;
      const publisher = (async () => {
        while (!stop) {
          const { number, at } = await publish(size);
          if (Number.isFinite(await servedAfter(b, number, at))) builds++;
        }
      })();
      const publishing = await pacedLoop(connector, b, CONVERSATIONS, PACED_SECONDS, script, `busy-${publications}`);
      stop = true;
      await publisher;
      measured.push({ size, servedMs, quiet, publishing, builds });
    }
  } finally {
    subscriber.disconnect();
    commands.disconnect();
    await Promise.all([a.stop(), b.stop()]);
    await connector.stop();
    await redis.destroy();
  }
  return report(measured, limits, stalls, loadAtStart);
}

function report(measured: readonly Measured[], limits: (string | number)[][], stalls: (string | number)[][], loadAtStart: readonly number[]): string {
  const range = (values: readonly number[]) => `${ms(percentile(values, 50))} (${ms(Math.min(...values))}–${ms(Math.max(...values))})`;
  const served = table(
    ['knowledge base', 'publications', 'A serves it, ms: median (min–max)', 'B serves it, ms: median (min–max)'],
    measured.map((m) => [m.size.label, m.servedMs.b.length, range(m.servedMs.a), range(m.servedMs.b)]),
  );
  const turns = table(
    ['knowledge base', 'on B', 'turns', 'errors', 'p50 ms', 'p99 ms', 'versions B built meanwhile'],
    measured.flatMap((m) => [
      [m.size.label, 'nothing published', Math.round(m.quiet.turns), m.quiet.errors, ms(m.quiet.p50), ms(m.quiet.p99), 0],
      [m.size.label, 'publishing all along', Math.round(m.publishing.turns), m.publishing.errors, ms(m.publishing.p50), ms(m.publishing.p99), m.builds],
    ]),
  );
  return [
    `Two Kefu processes (\`node dist/bot/index.js\`, A and B) on loopback ports, sharing one redis-server started for the run. Each publication is stored through the Redis versions store (what \`kb publish\` and the knowledge desk call); the clock starts when the store has it and stops when the instance's \`/healthz\` names the version (polled every ${POLL_MS} ms). The 1 000-entry base is today's grown by copies of its FAQ entries, each asked in one more circumstance (bench/lib/syntheticKb.ts). Load average at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    '**Publish to served**, one publication at a time:',
    '',
    served,
    '',
    `**Turn latency on B** at ${CONVERSATIONS} conversations, each sending one message a second (the zh-CN dev set's questions, ${PACED_SECONDS} s per run): with nothing published, and while versions are published one after another (each as soon as B serves the one before), so B builds during most of the run while A builds too.`,
    '',
    turns,
    '',
    '**One build in this process** (no other load): built at once (before this change, and still at start-up), the event loop waits for the whole build; built in slices (a published version, a `KB_RELOAD` reload), it waits at most about one slice (knowledge/slices.ts) plus what is not sliced (reading and checking the version: some 30–100 ms at 1 000 entries) and garbage collection. Longest pause = the most a 1 ms timer came late.',
    '',
    table(['knowledge base', 'at once: build ms', 'at once: longest pause ms', 'in slices: build ms', 'in slices: longest pause ms'], stalls),
    '',
    `**What the classifier limits do** (MAX_TRAINING_STEPS ${MAX_TRAINING_STEPS / 1e6} M = labels × phrasings × ${DEFAULT_CLASSIFIER_OPTIONS.epochs} epochs; MAX_WEIGHTS ${MAX_WEIGHTS / 1e6} M = labels × features): beyond either, the entry classifier is not trained and routing is retrieval alone — which is why the 1 000-entry base builds in seconds rather than the ~40 s training would take. The acts classifier (acts and "not an act") stays small and is trained at both sizes.`,
    '',
    table(['knowledge base', 'locale', 'labels', 'phrasings', 'training steps', 'weights', 'entry classifier'], limits),
    '',
    'What these figures do not show: both instances, Redis and the load generator share this machine\'s cores, so a build on A slows B\'s turns too (on separate machines B would do better); the synthetic base\'s copies are near-duplicates, so its routing is costlier and clarifies more than a real base of that size; a real lead publishes a few times a day, not back to back; the paced load is 100 turns a second, not saturation (see section 1 for that); publish-to-served includes the build, and what the build costs depends on the load beside it.',
  ].join('\n');
}
