import os from 'node:os';
import WebSocket from 'ws';
import { RedisServer } from '../test/support/redis';
import { cpuMsOf, KEFU_BENCH_ENV, startScript } from './lib/load';
import { seededRandom } from '../knowledge/seededRandom';
import { ms, percentile, table } from './lib/stats';

/**
 * 5. Widget load on the embedded Direct Line. Over WebSocket, what Web Chat uses: 50 users
 * chatting like people (a question, the answer, a few seconds of reading and typing),
 * post-to-reply as the reply reaches the user's socket, in memory and in Redis mode. Then
 * polling, Web Chat's fallback: 300 users polling once a second while 50 of them chat.
 */
const QUESTIONS = ['验证码收不到怎么办', '忘记密码怎么办', '换了手机号银行卡要重新绑吗', '账户被锁了怎么解锁'];

const SOCKET_USERS = 50;
const SOCKET_SECONDS = Number(process.env.BENCH_WIDGET_SOCKET_SECONDS ?? 30);
/** Unmeasured chatting without pauses first, so the process is warm, as a server that has been up a while is. */
const SOCKET_WARM_UP_SECONDS = 6;
/** Seconds between an answer and the user's next question, drawn per user from a fixed seed. */
const THINK_SECONDS = { min: 2, max: 5 };
const SEED = 19;
const REPLY_TIMEOUT_MS = 10_000;
const SOCKET_TARGET_P99_MS = 100;

const POLLING_USERS = 300;
const POLLING_CHATTING = 50;
const POLLING_SECONDS = Number(process.env.BENCH_WIDGET_SECONDS ?? 20);

interface ActivitySet {
  activities: { type?: string; from?: { id?: string }; replyToId?: string; id?: string }[];
  watermark?: string;
}

interface SocketResult {
  storage: string;
  load: number;
  questions: number;
  replyTimes: number[];
  errors: number;
  botCpuMs: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A widget user: its Direct Line conversation, opened as Web Chat opens it, with the stream connected. */
async function openUser(url: string) {
  const grant = (await (await fetch(`${url}/api/webchat/token`, { method: 'POST' })).json()) as { token: string };
  const started = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' }, body: '{}' });
  if (!started.ok) throw new Error(`starting a conversation: HTTP ${started.status}`);
  const conversation = (await started.json()) as { conversationId: string; token: string; streamUrl: string };
  const socket = new WebSocket(conversation.streamUrl);
  // When each reply reached the socket, by the id of the message it answers; and who waits for one.
  const arrived = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  socket.on('message', (data) => {
    const at = performance.now();
    for (const activity of (JSON.parse(String(data)) as ActivitySet).activities) {
      // The user's own messages come back on the stream too, without replyToId; typing is not an answer.
      if (activity.type !== 'message' || !activity.replyToId || arrived.has(activity.replyToId)) continue;
      arrived.set(activity.replyToId, at);
      waiting.get(activity.replyToId)?.(at);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let closed = false;
  socket.once('close', () => (closed = true));
  // A socket that fails later shows as answers that never came, not as a crash of the benchmark.
  socket.on('error', () => (closed = true));
  return {
    /** Posts a question; resolves with the milliseconds until its answer reached the socket (undefined: none came). */
    async ask(text: string): Promise<number | undefined> {
      const sent = performance.now();
      const res = await fetch(`${url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${conversation.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text, from: { id: 'user' }, locale: 'zh-CN' }),
      });
      if (!res.ok) return undefined;
      const { id } = (await res.json()) as { id: string };
      // The turn often ends, and its reply arrives, before the POST's own answer does.
      let timer: NodeJS.Timeout | undefined;
      const at =
        arrived.get(id) ??
        (await new Promise<number | undefined>((resolve) => {
          waiting.set(id, resolve);
          timer = setTimeout(() => resolve(undefined), REPLY_TIMEOUT_MS);
        }));
      clearTimeout(timer);
      waiting.delete(id);
      arrived.delete(id);
      return closed || at === undefined ? undefined : at - sent;
    },
    close() {
      socket.close();
    },
  };
}

async function socketLoad(storage: string, env: Record<string, string>): Promise<SocketResult> {
  const kefu = await startScript('dist/bot/index.js', env);
  const load = os.loadavg()[0] ?? NaN;
  let errors = 0;
  let questions = 0;
  const replyTimes: number[] = [];
  try {
    const users = await Promise.all(Array.from({ length: SOCKET_USERS }, () => openUser(kefu.url)));
    try {
      const chat = (seconds: number, paced: boolean) => {
        const stopAt = Date.now() + seconds * 1000;
        return Promise.all(
          users.map(async (user, i) => {
            const random = seededRandom(SEED * 1000 + i);
            const think = () => (THINK_SECONDS.min + random() * (THINK_SECONDS.max - THINK_SECONDS.min)) * 1000;
            // Users arrive spread over a few seconds, not all at once.
            if (paced) await pause(random() * THINK_SECONDS.max * 1000);
            while (Date.now() < stopAt) {
              const took = await user.ask(QUESTIONS[Math.floor(random() * QUESTIONS.length)]!).catch(() => undefined);
              if (paced) {
                questions++;
                if (took === undefined) errors++;
                else replyTimes.push(took);
                await pause(think());
              }
            }
          }),
        );
      };
      await chat(SOCKET_WARM_UP_SECONDS, false);
      const cpuAtStart = cpuMsOf(kefu.pid);
      await chat(SOCKET_SECONDS, true);
      return { storage, load, questions, replyTimes, errors, botCpuMs: (cpuMsOf(kefu.pid) - cpuAtStart) / replyTimes.length };
    } finally {
      for (const user of users) user.close();
    }
  } finally {
    await kefu.stop();
  }
}

/** Web Chat's polling mode: everyone asks for new activities once a second; the chatting users also look every 100 ms after a question. */
async function pollingLoad() {
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
      Array.from({ length: POLLING_USERS }, async () => {
        const grant = (await (await fetch(`${kefu.url}/api/webchat/token`, { method: 'POST' })).json()) as { conversationId: string; token: string };
        await call('/v3/directline/conversations', grant.token, { method: 'POST' });
        return grant;
      }),
    );
    const stopAt = Date.now() + POLLING_SECONDS * 1000;
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
        await pause((i * 1000) / POLLING_USERS);
        for (let n = 0; Date.now() < stopAt; n++) {
          if (i < POLLING_CHATTING && n % 2 === 0) {
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
              await pause(100);
            }
          } else {
            await poll();
            await pause(1000);
          }
        }
      }),
    );
  } finally {
    await kefu.stop();
  }
  return { requests, errors, replyTimes };
}

export async function widgetBenchmark(): Promise<string> {
  const loadAtStart = os.loadavg();
  const redis = await RedisServer.start(['--appendfsync', 'everysec']);
  const sockets: SocketResult[] = [];
  try {
    sockets.push(await socketLoad('memory', KEFU_BENCH_ENV));
    sockets.push(await socketLoad('redis', { ...KEFU_BENCH_ENV, REDIS_URL: redis.url }));
  } finally {
    await redis.destroy();
  }
  const polling = await pollingLoad();
  return [
    `**Load average when the run started:** ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min) on ${os.cpus().length} cores.`,
    '',
    `**Over WebSocket** (what Web Chat uses): ${SOCKET_USERS} users each get a token (\`POST /api/webchat/token\`), start their Direct Line conversation (\`POST /v3/directline/conversations\`) and connect to the \`streamUrl\` it returns (the \`ws\` package); then, after ${SOCKET_WARM_UP_SECONDS} s of unmeasured chatting without pauses (a warm process), they chat for ${SOCKET_SECONDS} s like people: a question from the knowledge base, the answer, then ${THINK_SECONDS.min}–${THINK_SECONDS.max} s before the next (question and pause drawn from a fixed seed, the same on every run). Post→reply = from sending \`POST …/activities\` until the bot's answer (the first message whose \`replyToId\` is the posted activity) arrives on that user's socket. Bot CPU = the bot process's user + system time over the measured seconds, per answer; at this light load it also holds what the process does between turns (timers, garbage collection) and the Direct Line work around each turn (storing both activities, sending them on the socket), so it is not section 1's CPU per turn. Redis runs with AOF and \`appendfsync everysec\`.`,
    '',
    table(
      ['storage', 'users', 'load (1 min)', 'questions', 'no answer in 10 s', 'post→reply p50 ms', 'post→reply p99 ms', `p99 < ${SOCKET_TARGET_P99_MS} ms`, 'bot CPU ms/answer'],
      sockets.map((s) => {
        const p99 = percentile(s.replyTimes, 99);
        return [s.storage, SOCKET_USERS, s.load.toFixed(2), s.questions, s.errors, ms(percentile(s.replyTimes, 50)), ms(p99), p99 < SOCKET_TARGET_P99_MS ? 'met' : '**not met**', s.botCpuMs.toFixed(2)];
      }),
    ),
    '',
    `**What this does not show.** ${SOCKET_USERS} users asking every few seconds is a light load (about ${Math.round(SOCKET_USERS / ((THINK_SECONDS.min + THINK_SECONDS.max) / 2))} questions a second): the turn benchmark (section 1) is where the bot is pushed to its limit. Everything runs on one machine over loopback, so the network between a browser and the server, TLS, a reverse proxy and the browser's own rendering are not in the figures; nor are reconnections (a socket that drops and comes back with its watermark), long-lived sockets (heartbeats, token refresh) or several instances behind a load balancer. One run per storage mode: its p99 rests on the few slowest of some hundreds of answers, and the load average above says how busy the machine was.`,
    '',
    `**Polling** (Web Chat's fallback when WebSocket is off): ${POLLING_USERS} users polling \`GET …/activities\` once a second for ${POLLING_SECONDS} s, memory mode; ${POLLING_CHATTING} of them also post a question every other second and then look every 100 ms until the answer arrives (so post-to-reply includes up to 100 ms of polling delay).`,
    '',
    table(
      ['users', 'chatting', 'requests', 'errors', 'answers', 'post→reply p50 ms', 'post→reply p99 ms'],
      [[POLLING_USERS, POLLING_CHATTING, polling.requests, polling.errors, polling.replyTimes.length, ms(percentile(polling.replyTimes, 50)), ms(percentile(polling.replyTimes, 99))]],
    ),
  ].join('\n');
}
