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

async function measure(connector: BenchConnector, bot: Target, script: readonly string[], tag: string, n: number) {
  return { saturated: await closedLoop(connector, bot, n, SECONDS, script, `${tag}c${n}`), paced: await pacedLoop(connector, bot, n, SECONDS, script, `${tag}p${n}`) };
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
    for (const n of SIZES) rows.push({ bot: 'echo bot', kind: 'echo', storage: '—', n, ...(await measure(connector, echo, ['hello'], 'echo', n)) });
    await echo.stop();
    for (const storage of ['memory', 'redis'] as const) {
      const kefu = await startScript('dist/bot/index.js', storage === 'redis' ? { ...KEFU_BENCH_ENV, REDIS_URL: redis.url } : KEFU_BENCH_ENV);
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
    `Through \`POST /api/messages\`, a local connector receiving the replies; bot and load generator are separate processes sharing the machine's cores. **Saturated**: every conversation sends its next message as soon as the answer arrives (closed loop) — the most turns per second, and the queueing that comes with it. **Paced**: every conversation sends one message per second (open loop) — latency at a steady load. ${SECONDS} s per measurement after a 1 s warm-up; latency = post until the reply reaches the connector. FAQ turns ask questions the knowledge base answers; flow turns start the unlock flow and cancel it, in turn. Bot CPU = the bot process's user + system time over the saturated run, per turn. Redis runs with AOF and \`appendfsync everysec\`.`,
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
  ].join('\n');
}
