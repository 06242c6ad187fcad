import { RedisServer } from '../test/support/redis';
import { SHARED_ENV } from '../test/support/cluster';
import { BenchConnector } from './lib/connector';
import { closedLoop, startScript, type LoadResult } from './lib/load';
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

const KEFU_ENV = { NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', KB_SIGNALS_FILE: '', KB_RELOAD: 'false', RATE_LIMIT_MESSAGES: '10000', ...SHARED_ENV };

export async function turnBenchmark(): Promise<string> {
  const connector = new BenchConnector();
  await connector.start();
  const redis = await RedisServer.start();
  const rows: (string | number)[][] = [];
  const echoBy = new Map<number, LoadResult>();
  try {
    const echo = await startScript('dist/bench/echoBot.js', { PORT: '0' }, 'echo listening');
    for (const n of SIZES) echoBy.set(n, await closedLoop(connector, echo.url, n, SECONDS, ['hello'], `echo${n}`));
    await echo.stop();
    for (const n of SIZES) {
      const e = echoBy.get(n)!;
      rows.push([`echo bot`, '—', '—', n, Math.round(e.perSecond), ms(e.p50), ms(e.p99), e.errors, '1.00']);
    }
    for (const storage of ['memory', 'redis'] as const) {
      const env = storage === 'redis' ? { ...KEFU_ENV, REDIS_URL: redis.url } : KEFU_ENV;
      const kefu = await startScript('dist/bot/index.js', env, 'kefu listening');
      for (const [kind, script] of [
        ['FAQ', FAQ],
        ['flow', FLOW],
      ] as const) {
        for (const n of SIZES) {
          const r = await closedLoop(connector, kefu.url, n, SECONDS, script, `${storage}${kind}${n}`);
          const ratio = r.perSecond / (echoBy.get(n)?.perSecond ?? NaN);
          rows.push(['Kefu', kind, storage, n, Math.round(r.perSecond), ms(r.p50), ms(r.p99), r.errors, ratio.toFixed(2)]);
        }
      }
      await kefu.stop();
    }
  } finally {
    await redis.destroy();
    await connector.stop();
  }
  return [
    `Closed loop through \`POST /api/messages\` with a local connector receiving the replies; ${SECONDS} s per row after a 1 s warm-up; latency = post until the reply reaches the connector. Bot and load generator are separate processes on the same machine.`,
    '',
    table(['bot', 'turns', 'storage', 'conversations', 'turns/s', 'p50 ms', 'p99 ms', 'errors', '× echo'], rows),
  ].join('\n');
}
