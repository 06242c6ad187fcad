import { RedisServer } from '../test/support/redis';
import { BenchConnector } from './lib/connector';
import { closedLoop, KEFU_BENCH_ENV, pacedLoop, startScript, type LoadResult, type Target } from './lib/load';
import { ms, table } from './lib/stats';

/**
 * 1. Turn throughput and latency through /api/messages, Kefu next to a minimal botbuilder
 * echo bot under the same closed-loop load. FAQ turns ask a question the knowledge base
 * answers; flow turns start the unlock flow and cancel it, in turn.
 */
const SECONDS = Number(process.env.BENCH_TURN_SECONDS ?? 4);
const SIZES = [10, 100, 500];
const WARM_UP_SECONDS = 6;
const FAQ = ['换了手机号银行卡要重新绑吗', '验证码收不到怎么办', '忘记密码怎么办'];
const FLOW = ['帮我解锁', '取消'];


interface Row {
  bot: string;
  kind: string;
  storage: string;
  n: number;
  saturated: LoadResult;
  paced: LoadResult;
}

/**
 * Paced latency is measured three times (at 10 and 100 conversations) and the run with the
 * median p99 kept: on a shared 2-core machine one stall of the host can set a 4-second run's
 * p99 on its own. At 500 conversations the bot is saturated either way; one run.
 */
const PACED_RUNS = (n: number) => (n <= 100 ? 3 : 1);

async function measure(connector: BenchConnector, bot: Target, script: readonly string[], tag: string, n: number) {
  const saturated = await closedLoop(connector, bot, n, SECONDS, script, `${tag}c${n}`);
  const runs: LoadResult[] = [];
  for (let i = 0; i < PACED_RUNS(n); i++) runs.push(await pacedLoop(connector, bot, n, SECONDS, script, `${tag}p${n}r${i}`));
  const paced = runs.sort((x, y) => x.p99 - y.p99)[Math.floor(runs.length / 2)]!;
  return { saturated, paced: { ...paced, errors: runs.reduce((sum, r) => sum + r.errors, 0) } };
}

/**
 * The first seconds of load run code V8 has not optimised yet (a cold process does a third
 * to half fewer turns per second): every bot gets the same unmeasured load first, so the
 * table shows the bot it becomes.
 */
async function warmUp(connector: BenchConnector, bot: Target, scripts: readonly (readonly string[])[]) {
  for (const [i, script] of scripts.entries()) await closedLoop(connector, bot, 100, WARM_UP_SECONDS, script, `warm${i}-${bot.pid}`);
}

export async function turnBenchmark(): Promise<string> {
  const connector = new BenchConnector();
  await connector.start();
  // Durable the way production Redis usually is (AOF, fsync once a second); the fault tests'
  // fsync on every write measures the disk, not Kefu.
  const redis = await RedisServer.start(['--appendfsync', 'everysec']);
  const rows: Row[] = [];
  try {
    const echo = await startScript('dist/bench/echoBot.js', {});
    await warmUp(connector, echo, [['hello'], ['hello']]);
    for (const n of SIZES) rows.push({ bot: 'echo bot', kind: 'echo', storage: '—', n, ...(await measure(connector, echo, ['hello'], 'echo', n)) });
    await echo.stop();
    for (const storage of ['memory', 'redis'] as const) {
      const kefu = await startScript('dist/bot/index.js', storage === 'redis' ? { ...KEFU_BENCH_ENV, REDIS_URL: redis.url } : KEFU_BENCH_ENV);
      await warmUp(connector, kefu, [FAQ, FLOW]);
      for (const [kind, script] of [
        ['FAQ', FAQ],
        ['flow', FLOW],
      ] as const) {
        for (const n of SIZES) rows.push({ bot: 'Kefu', kind, storage, n, ...(await measure(connector, kefu, script, `${storage}${kind}`, n)) });
      }
      await kefu.stop();
    }
  } finally {
    await redis.destroy();
    await connector.stop();
  }
  const echoAt = (n: number) => rows.find((r) => r.bot === 'echo bot' && r.n === n)?.saturated.perSecond ?? NaN;
  return [
    `Through \`POST /api/messages\`, a local connector receiving the replies; bot and load generator are separate processes sharing the machine's cores. **Saturated**: every conversation sends its next message as soon as the answer arrives (closed loop) — the most turns per second, and the queueing that comes with it. **Paced**: every conversation sends one message per second (open loop) — latency at a steady load; at 10 and 100 conversations the median of three runs (by p99), errors summed over all three. Each bot first runs ${WARM_UP_SECONDS} s of unmeasured load per kind of turn (V8 optimises the code on the way); then ${SECONDS} s per measurement after a 1 s ramp; latency = post until the reply reaches the connector. FAQ turns ask questions the knowledge base answers; flow turns start the unlock flow and cancel it, in turn. Bot CPU = the bot process's user + system time over the saturated run, per turn. Redis runs with AOF and \`appendfsync everysec\`.`,
    '',
    table(
      ['bot', 'turns', 'storage', 'conversations', 'saturated turns/s', '× echo', 'bot CPU ms/turn', 'saturated p99 ms', 'paced turns/s', 'paced p50 ms', 'paced p99 ms', 'errors'],
      rows.map((r) => [
        r.bot,
        r.kind,
        r.storage,
        r.n,
        Math.round(r.saturated.perSecond),
        (r.saturated.perSecond / echoAt(r.n)).toFixed(2),
        r.saturated.botCpuMs.toFixed(2),
        ms(r.saturated.p99),
        Math.round(r.paced.perSecond),
        ms(r.paced.p50),
        ms(r.paced.p99),
        r.saturated.errors + r.paced.errors,
      ]),
    ),
    '',
    WHERE_THE_TIME_GOES,
  ].join('\n');
}

/**
 * From profiling sessions, not from this run: what the figures above are made of, and what
 * was changed because of them.
 */
const WHERE_THE_TIME_GOES = `**Where the time goes.** \`--cpu-prof\` of Kefu under the saturated FAQ load at 100 conversations (memory storage, after warm-up), as shares of the bot's CPU: the Bot Framework path the echo bot runs too — restify, CloudAdapter, a new ConnectorClient per turn, the reply's POST through @azure/core-client and its socket writes — about 56 %; garbage collection 10 %; routing 14 % (fuse.js's bitap 5 %, BM25 and the cosine 5 %); the xstate machine (restore, event, persisted snapshot) 7 %; the inbound activity check 2 %; turn lock, state save, transcript, log line and metrics together 8 %. The echo bot's whole turn costs about what Kefu's Bot Framework part costs, so Kefu's own work roughly doubles the CPU of a turn: that is why saturated FAQ throughput stays well short of 0.8 × the echo bot (the column above). Getting to 0.8 would mean a turn without fuzzy matching, a state machine, a transcript or input checks — not the product.

Changed because of these profiles (same machine, same script): routing per labelled question 0.90 → about 0.45 ms, with the same route for all 307 questions (Fuse now reads the text renamed to one-byte symbols — the same matches and scores — and is skipped where the most it could add cannot lift a candidate into the results); Redis commands per FAQ turn 20 in 9 round trips → 9 in 6 (Lua scripts by EVALSHA instead of MULTI blocks, a turn's replies written to the transcript at once next to the open-handoff lookup, the conversation reference written only when it changes); no failed zod parse per message. The first run of this benchmark measured Redis paced p99 at 100 conversations 151 ms with \`appendfsync always\` (an fsync per write, the durability the fault tests need), and saturated FAQ turns at 0.36–0.64 × the echo bot on cold processes.`;
