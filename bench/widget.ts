import { KEFU_BENCH_ENV, startScript } from './lib/load';
import { ms, percentile, table } from './lib/stats';

/**
 * 5. Widget load: 300 users of the embedded Direct Line polling once a second (as Web Chat's
 * polling mode does) while 50 of them chat; errors and post-to-reply time.
 */
const USERS = 300;
const CHATTING = 50;
const SECONDS = Number(process.env.BENCH_WIDGET_SECONDS ?? 20);
const QUESTIONS = ['验证码收不到怎么办', '忘记密码怎么办', '换了手机号银行卡要重新绑吗', '账户被锁了怎么解锁'];

interface ActivitySet {
  activities: { from?: { id?: string }; replyToId?: string; id?: string }[];
  watermark?: string;
}

export async function widgetBenchmark(): Promise<string> {
  const kefu = await startScript('dist/bot/index.js', KEFU_BENCH_ENV);
  let errors = 0;
  let requests = 0;
  const replyTimes: number[] = [];
  const call = async (path: string, token: string, init: RequestInit = {}): Promise<Response | undefined> => {
    requests++;
    try {
      const res = await fetch(`${kefu.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
      if (!res.ok) errors++;
      return res;
    } catch {
      errors++;
      return undefined;
    }
  };
  try {
    const users = await Promise.all(
      Array.from({ length: USERS }, async () => {
        const grant = (await (await fetch(`${kefu.url}/api/webchat/token`, { method: 'POST' })).json()) as { conversationId: string; token: string };
        await call('/v3/directline/conversations', grant.token, { method: 'POST' });
        return grant;
      }),
    );
    const stopAt = Date.now() + SECONDS * 1000;
    await Promise.all(
      users.map(async (user, i) => {
        let watermark = '';
        const poll = async () => {
          const res = await call(`/v3/directline/conversations/${user.conversationId}/activities${watermark ? `?watermark=${watermark}` : ''}`, user.token);
          const set = res?.ok ? ((await res.json()) as ActivitySet) : { activities: [] };
          if (set.watermark) watermark = set.watermark;
          return set.activities;
        };
        // Spread the pollers over the second, as real users arrive at different times.
        await new Promise((resolve) => setTimeout(resolve, (i * 1000) / USERS));
        for (let n = 0; Date.now() < stopAt; n++) {
          if (i < CHATTING && n % 2 === 0) {
            const sent = performance.now();
            const res = await call(`/v3/directline/conversations/${user.conversationId}/activities`, user.token, {
              method: 'POST',
              body: JSON.stringify({ type: 'message', text: QUESTIONS[n % QUESTIONS.length], from: { id: 'user' }, locale: 'zh-CN' }),
            });
            const id = res?.ok ? ((await res.json()) as { id: string }).id : undefined;
            // After sending, look every 100 ms until the answer is there.
            for (let tries = 0; id && tries < 100; tries++) {
              if ((await poll()).some((a) => a.replyToId === id)) {
                replyTimes.push(performance.now() - sent);
                break;
              }
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          } else {
            await poll();
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      }),
    );
  } finally {
    await kefu.stop();
  }
  return [
    `${USERS} Direct Line users polling \`GET …/activities\` once a second for ${SECONDS} s; ${CHATTING} of them also post a question every other second and then look every 100 ms until the answer arrives (so post-to-reply includes up to 100 ms of polling delay).`,
    '',
    table(
      ['users', 'chatting', 'requests', 'errors', 'answers', 'post→reply p50 ms', 'post→reply p99 ms'],
      [[USERS, CHATTING, requests, errors, replyTimes.length, ms(percentile(replyTimes, 50)), ms(percentile(replyTimes, 99))]],
    ),
  ].join('\n');
}
