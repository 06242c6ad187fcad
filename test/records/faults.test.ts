import { Redis } from 'ioredis';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import type { FakeChannel } from '../support/channel';
import { roundRobinChannel, startInstance, type Instance } from '../support/cluster';
import { PostgresServer, queryOnce } from '../support/postgres';
import { finishChat, openChat, readiness, storedLines } from '../support/recordedChats';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * Nothing is lost while PostgreSQL is away (issue 29, item 3): two instances share one Redis
 * and one database; users and agents keep going while the database is stopped and one
 * instance is killed and a replacement started, and once the database is back every line,
 * chat, rating and note is in it exactly once.
 */
jest.setTimeout(300_000);

const OUTBOX = 'kefu:{kefu}:outbox';
const QUESTIONS = ['忘记密码怎么办', '验证码收不到怎么办', '换手机号收费吗', '换了手机号银行卡要重新绑吗'];
const PREFIX = 'emulator:fault-';

let redis: RedisServer;
let pg: PostgresServer;
let a: Instance;
let b: Instance;
/** Started while the database is away, to replace A. */
let c: Instance | undefined;
let live: Instance[] = [];
let channel: FakeChannel;
let inspector: Redis;
let env: Record<string, string>;

beforeAll(async () => {
  [redis, pg] = await Promise.all([RedisServer.start(), PostgresServer.start()]);
  env = { REDIS_URL: redis.url, DATABASE_URL: pg.url };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  live = [a, b];
  channel = await roundRobinChannel(() => live);
  inspector = new Redis(redis.url, { lazyConnect: true });
  await inspector.connect();
});
afterAll(async () => {
  inspector?.disconnect();
  await channel?.stop();
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  await Promise.all([pg?.destroy(), redis?.destroy()]);
});

/** What a user said and what became of their chat with a person, to be found in the database later. */
interface Expected {
  said: string[];
  chat?: { id: string; rating: number; note: string };
}
const expected = new Map<string, Expected>();

function said(user: string, text: string): void {
  const entry = expected.get(user) ?? { said: [] };
  entry.said.push(text);
  expected.set(user, entry);
}

const wordsSaid = () => [...expected.values()].reduce((sum, e) => sum + e.said.length, 0);

/** A few questions, every one answered. */
async function askAround(user: string, turns: number, offset: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    const question = QUESTIONS[(offset + turn) % QUESTIONS.length]!;
    said(user, question);
    const answers = await channel.ask(user, question);
    expect(answers[0]?.text).toBeTruthy();
  }
}

/** Handoffs one at a time, so each queued chat is known to be this user's. */
let handoffs: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = handoffs.then(work);
  handoffs = run.catch(() => undefined);
  return run;
}

async function open(user: string, agent: AgentClient): Promise<string> {
  return serially(async () => {
    said(user, '转人工');
    const id = await openChat(channel, agent, user);
    const extra = `第 ${user.slice(6)} 位用户补充：转账一直失败`;
    said(user, extra);
    expect((await channel.say(user, extra)).status).toBe(200);
    return id;
  });
}

async function finish(user: string, id: string, agent: AgentClient, rating: number): Promise<void> {
  const note = `已处理 ${user}`;
  said(user, String(rating));
  await finishChat(channel, agent, user, id, { reply: '已为您处理好了', note, rating });
  expected.get(user)!.chat = { id, rating, note };
}

/** `count` users talk at once, a few turns each; every third hands off to a person the agent resolves. */
async function traffic(first: number, count: number, agent: () => AgentClient): Promise<void> {
  const users = Array.from({ length: count }, (_, i) => `fault-${first + i}`);
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const index = first + next;
      const user = users[next++]!;
      await askAround(user, 2 + (index % 3), index);
      if (index % 3 === 0) {
        const id = await open(user, agent());
        await finish(user, id, agent(), 1 + (index % 5));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function pendingConsumers(): Promise<number> {
  const [, , , consumers] = (await inspector.xpending(OUTBOX, 'writers')) as [number, string | null, string | null, [string, string][] | null];
  return (consumers ?? []).filter(([, count]) => Number(count) > 0).length;
}

test('PostgreSQL stopped under traffic on two instances, one killed and a replacement started: users are answered throughout, and every record reaches the database once', async () => {
  await until(async () => (await Promise.all([a, b].map((i) => readiness(i.url)))).every((r) => r.body.database === 'ok'), 60_000);
  const agentA = await AgentClient.signIn(a.url, ...DEMO_AGENTS.wang);
  const agentB = await AgentClient.signIn(b.url, ...DEMO_AGENTS.wang);
  // The console open on B keeps the agent online for the whole test.
  const events = await agentB.stream();
  try {
    // The agent's actions alternate between the two instances.
    let actions = 0;
    const either = () => (actions++ % 2 === 0 ? agentA : agentB);

    // The database answers.
    await traffic(0, 12, either);

    await pg.stop();
    await until(async () => (await readiness(a.url)).body.database === 'unreachable' && (await readiness(b.url)).body.database === 'unreachable', 30_000);
    const atStop = (await readiness(b.url)).body.outbox ?? 0;
    const wordsAtStop = wordsSaid();

    // The database is away: users and agents on both instances go on as before.
    await traffic(12, 12, either);
    // One chat claimed on A stays open across A's death; B's agent finishes it.
    const across = 'fault-99';
    await askAround(across, 1, 0);
    const acrossId = await open(across, agentA);
    for (const instance of [a, b]) {
      const ready = await readiness(instance.url);
      expect(ready).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready', database: 'unreachable' }) });
      // Each message a user sent queued its line at least: all of them wait.
      expect(ready.body.outbox).toBeGreaterThanOrEqual(atStop + wordsSaid() - wordsAtStop);
    }
    // Both instances have taken records they could not write: A's must not die with it.
    await until(async () => (await pendingConsumers()) === 2, 60_000).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${await pendingConsumers()} instance(s) hold records they could not write`);
    });

    await a.kill();
    live = [b];
    await finish(across, acrossId, agentB, 5);
    // A replacement starts while the database is still away: it cannot migrate yet, and serves users all the same.
    const replacement = await startInstance(env);
    c = replacement;
    live = [b, replacement];
    await traffic(24, 8, () => agentB);
    for (const instance of [b, replacement]) {
      expect(await readiness(instance.url)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready', database: 'unreachable' }) });
    }
    const beforeStart = (await readiness(b.url)).body;

    await pg.start();
    const started = Date.now();
    // A's taken records wait RECLAIM_IDLE_MS (30 s) before another instance takes them over.
    let last: unknown;
    await until(async () => {
      const ready = await Promise.all([b, replacement].map(async (instance) => (await readiness(instance.url)).body));
      last = ready;
      return ready.every((r) => r.database === 'ok' && r.outbox === 0);
    }, 180_000).catch(async (error: Error) => {
      throw new Error(`${error.message}: the outbox is not drained; /readyz of B and its replacement ${JSON.stringify(last)}, ${await pendingConsumers()} instance(s) hold taken records`);
    });
    const drainedMs = Date.now() - started;
    expect(await pendingConsumers()).toBe(0);

    // Every line each user saw or wrote, once, in order.
    const lines = await storedLines(pg.url, PREFIX);
    for (const [user, { said: words }] of expected) {
      const mine = lines.filter((line) => line.conversation === `emulator:${user}`);
      expect({ user, said: mine.filter((l) => l.sender === 'user').map((l) => l.text) }).toEqual({ user, said: words });
      const heard = channel.messages(user).map((m) => m.text ?? '');
      const stored = mine.filter((l) => l.sender !== 'user').map((l) => (l.sender === 'agent' ? `${l.agentName}：${l.text}` : l.text));
      expect({ user, heard: [...stored].sort() }).toEqual({ user, heard: [...heard].sort() });
    }
    expect(new Set(lines.map((l) => l.conversation)).size).toBe(expected.size);

    // Every chat with a person in its final state with its rating, and its note, once.
    const chats = [...expected.values()].flatMap((e) => (e.chat ? [e.chat] : []));
    const stored = await queryOnce(pg.url, "SELECT id, status, (body->>'rating')::int AS rating, body->>'agentName' AS agent FROM handoffs WHERE conversation LIKE $1", [`${PREFIX}%`]);
    expect(stored.sort((x, y) => String(x.id).localeCompare(String(y.id)))).toEqual(
      chats.map((c) => ({ id: c.id, status: 'resolved', rating: c.rating, agent: '小王' })).sort((x, y) => x.id.localeCompare(y.id)),
    );
    const notes = await queryOnce(pg.url, "SELECT handoff_id, body->>'text' AS text FROM handoff_notes ORDER BY handoff_id");
    expect(notes).toEqual(chats.map((c) => ({ handoff_id: c.id, text: c.note })).sort((x, y) => x.handoff_id.localeCompare(y.handoff_id)));

    console.info(
      `records fault test: ${expected.size} conversations, ${lines.length} lines, ${chats.length} chats with a person, ${notes.length} notes; ` +
        `outbox ${atStop} → ${beforeStart.outbox} pushes while PostgreSQL was away; drained ${(drainedMs / 1000).toFixed(1)} s after it returned`,
    );
  } finally {
    events.close();
  }
});
