import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';

/**
 * An agent's requests arriving at once, against real processes: in memory mode (one
 * process) and as two instances sharing this test's own redis-server, the requests spread
 * over both. Claims at once never take an agent past AGENT_MAX_CHATS and give exactly the
 * first ones up to it; a typing indicator is passed on once per window however many
 * instances hear it, in both directions.
 */
jest.setTimeout(180_000);

const MAX_CHATS = 2;
// Every user here asks from 127.0.0.1: the per-address handoff limit (tested in limits.test.ts) is lifted.
const ENV = { AGENT_MAX_CHATS: String(MAX_CHATS), LIMIT_HANDOFFS_PER_ADDRESS: '1000/1h' };

interface Board {
  agentsOnline: number;
  queue: { id: string }[];
  active: { id: string; agentId: string }[];
}
type Answer = { status: number; body: unknown };

describe.each(['memory', 'Redis'] as const)('%s', (mode) => {
  let redis: RedisServer | undefined;
  let a: Instance;
  let b: Instance;
  let onA: FakeChannel;
  let onB: FakeChannel;

  beforeAll(async () => {
    if (mode === 'memory') {
      // One process: "both instances" are the same one.
      a = b = await startInstance(ENV);
    } else {
      redis = await RedisServer.start();
      [a, b] = await Promise.all([startInstance({ ...ENV, REDIS_URL: redis.url }), startInstance({ ...ENV, REDIS_URL: redis.url })]);
    }
    onA = new FakeChannel(() => a.url);
    onB = new FakeChannel(() => b.url);
    await Promise.all([onA.start(), onB.start()]);
  });
  afterAll(async () => {
    await onA?.stop();
    await onB?.stop();
    await a?.stop();
    if (b !== a) await b?.stop();
    await redis?.destroy();
  });

  const board = async (agent: AgentClient) => (await agent.get<Board>('/api/agent/board')).body;

  /** The agent's console open on both instances (two tabs behind a load balancer), and online. */
  async function consoles(who: keyof typeof DEMO_AGENTS) {
    const [id, password]: readonly [string, string] = DEMO_AGENTS[who];
    const [tabA, tabB] = await Promise.all([AgentClient.signIn(a.url, id, password), AgentClient.signIn(b.url, id, password)]);
    const events = await tabA.stream();
    await until(async () => (await board(tabB)).agentsOnline >= 1);
    return { tabA, tabB, events };
  }

  /** Each user asks for a person, on A or B in turn; returns the queued chats' ids in the same order. */
  async function queued(agent: AgentClient, users: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, user] of users.entries()) {
      const known = new Set((await board(agent)).queue.map((h) => h.id));
      const [reply] = await (i % 2 ? onB : onA).ask(user, '转人工');
      expect(reply?.text).toContain('排在第');
      const id = (await board(agent)).queue.find((h) => !known.has(h.id))?.id;
      expect(id).toBeDefined();
      ids.push(id!);
    }
    return ids;
  }

  test(`an agent claiming eight queued chats at once, from two tabs: exactly ${MAX_CHATS} claimed, the rest 409 "at-limit", never over the limit`, async () => {
    const { tabA, tabB, events } = await consoles('wang');
    try {
      const users = Array.from({ length: 8 }, (_, i) => `${mode}-burst-${i}`);
      const ids = await queued(tabA, users);

      const answers: Answer[] = await Promise.all(ids.map((id, i) => (i % 2 ? tabB : tabA).post(`/api/agent/chats/${id}/claim`)));
      const won = ids.filter((_, i) => answers[i]?.status === 200);
      const refused = answers.filter((answer) => answer.status !== 200);
      expect({ claimed: won.length, refused: refused.length }).toEqual({ claimed: MAX_CHATS, refused: 8 - MAX_CHATS });
      for (const answer of refused) {
        expect(answer).toEqual({ status: 409, body: { error: expect.stringContaining('AGENT_MAX_CHATS'), refusal: 'at-limit' } });
      }

      // Both instances see the same: the agent holds exactly the chats it was told it claimed; the rest are still queued.
      for (const tab of [tabA, tabB]) {
        const now = await board(tab);
        expect(now.active.filter((h) => h.agentId === 'wang').map((h) => h.id).sort()).toEqual([...won].sort());
        expect(now.queue.map((h) => h.id).sort()).toEqual(ids.filter((id) => !won.includes(id)).sort());
      }
      // Users whose chat was claimed heard so; the others heard nothing of an agent.
      for (const [i, user] of users.entries()) {
        const channel = i % 2 ? onB : onA;
        if (won.includes(ids[i]!)) await until(async () => channel.messages(user).some((m) => m.text?.includes('已接入') ?? false));
      }
      for (const [i, user] of users.entries()) {
        if (!won.includes(ids[i]!)) expect((i % 2 ? onB : onA).messages(user).some((m) => m.text?.includes('已接入') ?? false)).toBe(false);
      }

      // At the limit, one more claim alone is refused too; a resolved chat frees one place.
      const waiting = ids.filter((id) => !won.includes(id));
      expect((await tabB.post(`/api/agent/chats/${waiting[0]}/claim`)).status).toBe(409);
      expect((await tabA.post(`/api/agent/chats/${won[0]}/resolve`)).status).toBe(200);
      const again: Answer[] = await Promise.all(waiting.map((id, i) => (i % 2 ? tabB : tabA).post(`/api/agent/chats/${id}/claim`)));
      expect(again.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect((await board(tabA)).active.filter((h) => h.agentId === 'wang')).toHaveLength(MAX_CHATS);
    } finally {
      events.close();
    }
  });

  test('the agent typing on both instances within the window: the user is shown typing once; the user typing on both: the console hears it once', async () => {
    const { tabA, tabB, events } = await consoles('alice');
    try {
      const user = `${mode}-typing`;
      const [id] = await queued(tabA, [user]);
      expect((await tabA.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);
      await until(async () => onA.messages(user).some((m) => m.text?.includes('已接入') ?? false));

      // Agent → user: each answer waits for its delivery, so once both are in, every typing activity has reached the channel.
      const shown: Answer[] = await Promise.all([tabA, tabB].map((tab) => tab.post(`/api/agent/chats/${id}/typing`)));
      expect(shown.map((answer) => answer.status)).toEqual([200, 200]);
      expect(shown.map((answer) => (answer.body as { shown: boolean }).shown).sort()).toEqual([false, true]);
      expect(onA.sent(user).filter((activity) => activity.type === 'typing')).toHaveLength(1);

      // User → agent: the user's channel reaches both instances (a load balancer in front of them).
      const seen = events.events.length;
      const typing = (channel: FakeChannel) =>
        channel.post({
          type: 'typing',
          channelId: 'emulator',
          serviceUrl: onA.serviceUrl,
          conversation: { id: user },
          from: { id: `user-${user}`, role: 'user' },
          recipient: { id: 'kefu-bot', role: 'bot' },
        });
      expect((await Promise.all([typing(onA), typing(onB)])).map((answer) => answer.status)).toEqual([200, 200]);
      // Then a message: its "chat" event is published after both typing events were, so once it is here they are too.
      expect((await onA.say(user, '我在输入')).status).toBe(200);
      await until(async () => events.events.slice(seen).some((event) => event.type === 'chat' && event.id === id));
      expect(events.events.slice(seen).filter((event) => event.type === 'typing')).toEqual([{ type: 'typing', id }]);
    } finally {
      events.close();
    }
  });
});
