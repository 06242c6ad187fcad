import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { keys } from '../../bot/storage/redis/keys';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { FakeChannel } from '../support/channel';
import { startInstance, type Instance } from '../support/cluster';
import { RedisServer } from '../support/redis';
import { HOSTILE_FORMS } from '../support/typedNumberForms';
import { until } from '../support/until';

/**
 * A user types their mobile, ID or card number, or a code, every readable way no flow
 * accepts (Chinese numerals, Arabic-Indic or Devanagari digits, ⑴, digits split by emoji,
 * dots, slashes, letters, combining marks …): first in questions the bot cannot answer,
 * then to the agent who took the chat (the console shows the last of the questions too). Against a real process, in memory mode (signals in
 * KB_SIGNALS_FILE) and on Redis: the agent console's transcript and the KB signals hold
 * each number masked (138****0002, **** **** **** 5678, ******), never as typed.
 */
jest.setTimeout(240_000);

interface Chat {
  transcript: { from: string; text: string }[];
  handoff: { context: { misses?: string[] } };
}

interface Signal {
  kind: string;
  question?: string;
}

const question = (number: string) => `帮我查下 ${number} 这个号的话费还剩多少`;
const toAgent = (number: string) => `我的号码是 ${number}`;

interface Setup {
  instance: Instance;
  signals(): Promise<Signal[]>;
  close(): Promise<void>;
}

async function inMemory(): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-masking-'));
  const file = path.join(dir, 'kb-signals.jsonl');
  const instance = await startInstance({ KB_SIGNALS_FILE: file, RATE_LIMIT_MESSAGES: '1000' });
  return {
    instance,
    signals: async () =>
      fs.existsSync(file)
        ? fs
            .readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Signal)
        : [],
    async close() {
      await instance.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function onRedis(): Promise<Setup> {
  const redis = await RedisServer.start();
  const instance = await startInstance({ REDIS_URL: redis.url, RATE_LIMIT_MESSAGES: '1000' });
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  return {
    instance,
    signals: async () => (await client.lrange(keys.shared('kb-signals'), 0, -1)).map((raw) => JSON.parse(raw) as Signal),
    async close() {
      client.disconnect();
      await instance.stop();
      await redis.destroy();
    },
  };
}

describe.each([
  ['memory', inMemory],
  ['redis', onRedis],
] as const)('numbers typed every readable way are masked for the agent and the KB authors (%s)', (_mode, start) => {
  let setup: Setup;
  let channel: FakeChannel;
  let wang: AgentClient;
  let online: { close(): void } | undefined;
  let chat: Chat;
  let signals: Signal[];

  beforeAll(async () => {
    setup = await start();
    channel = new FakeChannel(() => setup.instance.url);
    await channel.start();
    wang = await AgentClient.signIn(setup.instance.url, ...DEMO_AGENTS.wang);
    // An agent is online while their console's event stream is open.
    online = await wang.stream();
    await until(async () => (await wang.get<{ agentsOnline: number }>('/api/agent/board')).body.agentsOnline === 1);
    const user = 'masking-hostile';
    for (const form of HOSTILE_FORMS) await channel.ask(user, question(form.typed));
    const [queued] = await channel.ask(user, '转人工');
    expect(queued?.text).toContain('排在第 1 位');
    const chatId = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue[0]!.id;
    const chatPath = `/api/agent/chats/${chatId}`;
    expect((await wang.post(`${chatPath}/claim`)).status).toBe(200);
    const before = (await wang.get<Chat>(chatPath)).body.transcript.length;
    for (const form of HOSTILE_FORMS) expect((await channel.say(user, toAgent(form.typed))).status).toBe(200);
    await until(async () => (await wang.get<Chat>(chatPath)).body.transcript.length >= before + HOSTILE_FORMS.length, 60_000);
    chat = (await wang.get<Chat>(chatPath)).body;
    await until(async () => (await setup.signals()).filter((s) => s.kind === 'unanswered').length >= HOSTILE_FORMS.length, 60_000);
    signals = await setup.signals();
  });
  afterAll(async () => {
    online?.close();
    await channel?.stop();
    await setup?.close();
  });

  test.each(HOSTILE_FORMS.map((form) => [form.name, form.typed, form.masked]))('%s: %j', (_name, typed, masked) => {
    const said = chat.transcript.filter((line) => line.from === 'user').map((line) => line.text);
    const asked = signals.map((signal) => signal.question);
    expect({ agentSees: said.filter((text) => text.includes(typed)), signalsHold: asked.filter((text) => text?.includes(typed)) }).toEqual({ agentSees: [], signalsHold: [] });
    expect(said).toContain(toAgent(masked));
    expect(asked).toContain(question(masked));
  });
});
