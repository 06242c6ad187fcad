import { Redis } from 'ioredis';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { SHARED_ENV } from '../support/cluster';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { PostgresServer, queryOnce } from '../support/postgres';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * HOT_STATE_TTL_S bounds what a conversation keeps live (issue 29): in memory mode an idle
 * conversation's state and transcript go after it, though STATE_TTL_S stays at its 30-day
 * default, so a long-running demo does not grow without end; with a database, an ended
 * conversation leaves nothing in Redis while PostgreSQL keeps its transcript.
 */

const HOT_S = 2;
/** Past the hot lifetime, with room for a slow machine's timers. */
const idle = () => new Promise((resolve) => setTimeout(resolve, HOT_S * 1000 + 1500));

interface Chat {
  handoff: { context: { reason: string; trail?: Record<string, unknown> } };
  transcript: { from: string; text: string }[];
}
interface Board {
  agentsOnline: number;
  queue: { id: string }[];
}

/** The user asks for a person; the agent opens the queued chat as the console does. */
async function handedOver(kefu: RunningKefu, agent: AgentClient, user: string): Promise<{ path: string; chat: Chat }> {
  const [queued] = await kefu.channel.ask(user, '转人工');
  expect(queued?.text).toContain('排在第 1 位');
  const [item] = (await agent.get<Board>('/api/agent/board')).body.queue;
  const path = `/api/agent/chats/${item!.id}`;
  return { path, chat: (await agent.get<Chat>(path)).body };
}

describe('memory mode', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu({ HOT_STATE_TTL_S: String(HOT_S) });
  });
  afterAll(async () => {
    await kefu?.stop();
  });

  test('a user who comes back after HOT_STATE_TTL_S starts fresh: the half-done flow and the old lines are gone for the agent too', async () => {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    try {
      await until(async () => (await wang.get<Board>('/api/agent/board')).body.agentsOnline >= 1);
      const user = 'hot-memory-1';
      const [asked] = await kefu.channel.ask(user, '帮我解锁');
      expect(asked?.text).toMatch(/手机号/);
      await idle();
      const { chat } = await handedOver(kefu, wang, user);
      // The unlock flow the user left is not carried into the handoff, nor are its lines.
      expect(chat.handoff.context.trail).toBeUndefined();
      expect(chat.transcript.map((e) => e.text).join('\n')).not.toContain('帮我解锁');
      expect(chat.transcript[0]).toEqual(expect.objectContaining({ from: 'user', text: '转人工' }));
    } finally {
      events.close();
    }
  });
});

describe('Redis with a database', () => {
  let redisServer: RedisServer;
  let postgres: PostgresServer;
  let redis: Redis;
  let kefu: RunningKefu;
  beforeAll(async () => {
    [redisServer, postgres] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
    redis = new Redis(redisServer.url);
    kefu = await startKefu({ ...SHARED_ENV, REDIS_URL: redisServer.url, DATABASE_URL: postgres.url, HOT_STATE_TTL_S: String(HOT_S) });
  }, 120_000);
  afterAll(async () => {
    await kefu?.stop();
    redis?.disconnect();
    await Promise.all([redisServer?.destroy(), postgres?.destroy()]);
  });

  /** Every Redis key that names the conversation or its handoff (state, reference, transcript, the closed chat, its last-closed mark). */
  const keysOf = async (...names: string[]) => (await redis.keys('*')).filter((key) => names.some((name) => key.includes(name)));

  test('an ended conversation\'s keys leave Redis after HOT_STATE_TTL_S, and PostgreSQL still has its transcript', async () => {
    const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
    const events = await wang.stream();
    try {
      await until(async () => (await wang.get<Board>('/api/agent/board')).body.agentsOnline >= 1);
      const user = 'hot-db-1';
      const [answer] = await kefu.channel.ask(user, '忘记密码怎么办');
      expect(answer?.text).toMatch(/密码/);
      const { path } = await handedOver(kefu, wang, user);
      const handoffId = path.split('/').at(-1)!;
      expect((await wang.post(`${path}/claim`)).status).toBe(200);
      expect((await wang.post(`${path}/resolve`)).status).toBe(200);
      await kefu.channel.waitForMessages(user, 4);
      const [thanks] = await kefu.channel.ask(user, '5');
      expect(thanks?.text).toContain('感谢您的评价');
      expect(await keysOf(user, handoffId)).not.toEqual([]);

      // Nobody writes any more: Redis forgets the conversation.
      await until(async () => (await keysOf(user, handoffId)).length === 0, 60_000);
      await until(async () => {
        const rows = await queryOnce(postgres.url, 'SELECT body FROM conversation_lines WHERE conversation LIKE $1 ORDER BY at, id', [`%${user}%`]);
        const texts = rows.map((r) => (r.body as { text?: string }).text ?? '');
        return texts.includes('忘记密码怎么办') && texts.includes('转人工') && texts.includes('5');
      }, 60_000);
      // And the agent still reads it: the chat's transcript comes from the database now.
      const after = (await wang.get<Chat>(path)).body;
      expect(after.transcript.map((e) => e.text)).toEqual(expect.arrayContaining(['忘记密码怎么办', '转人工']));
    } finally {
      events.close();
    }
  }, 120_000);
});
