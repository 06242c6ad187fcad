import { AgentClient, DEMO_AGENTS } from './agentClient';
import { FakeChannel } from './channel';
import { roundRobinChannel, startInstance, type Instance } from './cluster';
import { latestCode } from './kefuServer';

/**
 * What several instances sharing one Redis (single node or cluster) must do: any turn, any
 * agent action, on either of two instances. Run against each kind of Redis.
 */
export function sharedStateSuite(redisEnv: () => Record<string, string>): void {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    a = await startInstance(redisEnv());
    b = await startInstance(redisEnv());
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  test('a flow whose turns alternate between the instances continues correctly', async () => {
    const channel = await roundRobinChannel(() => [a, b]);
    try {
      const [ask] = await channel.ask('rr-unlock', '帮我解锁');
      expect(ask?.text).toContain('手机号');
      const [sent] = await channel.ask('rr-unlock', '13800000003');
      expect(sent?.text).toContain('138\\*\\*\\*\\*0003'); // Markdown text: the mask's asterisks escaped
      // The code was sent by one instance and is read from the outbox of the other.
      const code = await latestCode(a.url, '13800000003');
      expect(code).toMatch(/^\d{6}$/);
      const [done] = await channel.ask('rr-unlock', code);
      expect(done?.text).toContain('账户已解锁');
      const account = (await (await fetch(`${b.url}/api/dev/accounts/13800000003`)).json()) as { status: string };
      expect(account.status).toBe('active');
    } finally {
      await channel.stop();
    }
  });

  test('a user on instance A, an agent whose console is on instance B: messages both ways', async () => {
    const userSide = new FakeChannel(() => a.url);
    await userSide.start();
    const agent = await AgentClient.signIn(b.url, ...DEMO_AGENTS.wang);
    const events = await agent.stream();
    try {
      const [queued] = await userSide.ask('ab-1', '转人工');
      expect(queued?.text).toContain('排在第 1 位');
      const board = (await agent.get<{ queue: { id: string }[] }>('/api/agent/board')).body;
      const id = board.queue[0]!.id;
      let count = userSide.messages('ab-1').length;
      expect((await agent.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);
      expect((await userSide.waitForMessages('ab-1', count + 1)).at(-1)?.text).toContain('已接入');

      // The user's words reach B's console through Redis.
      const seen = events.events.length;
      await userSide.say('ab-1', '我是在 A 上说的');
      await events.waitFor('chat', seen);
      const chat = (await agent.get<{ transcript: { text: string }[] }>(`/api/agent/chats/${id}`)).body;
      expect(chat.transcript.at(-1)?.text).toBe('我是在 A 上说的');

      count = userSide.messages('ab-1').length;
      expect((await agent.post(`/api/agent/chats/${id}/messages`, { text: '这是 B 上的客服' })).status).toBe(200);
      expect((await userSide.waitForMessages('ab-1', count + 1)).at(-1)?.text).toBe('小王：这是 B 上的客服');
      expect((await agent.post(`/api/agent/chats/${id}/resolve`)).status).toBe(200);
      expect((await userSide.waitForMessages('ab-1', count + 2)).at(-1)?.text).toContain('打个分');
    } finally {
      events.close();
      await userSide.stop();
    }
  });

  test('the web chat widget: a token from A, a message posted to B, the reply read on A', async () => {
    const grant = (await (await fetch(`${a.url}/api/webchat/token`, { method: 'POST' })).json()) as { conversationId: string; token: string };
    const auth = { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' };
    expect((await fetch(`${b.url}/v3/directline/conversations`, { method: 'POST', headers: auth })).status).toBeLessThan(300);
    const posted = await fetch(`${b.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', text: '验证码收不到怎么办', from: { id: 'ignored' }, locale: 'zh-CN' }),
    });
    expect(posted.status).toBe(200);
    // Welcome, the user's question, the answer: all in the shared log, whichever instance wrote them.
    const deadline = Date.now() + 5000;
    let texts: string[] = [];
    while (Date.now() < deadline && texts.length < 3) {
      const set = (await (await fetch(`${a.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: auth })).json()) as {
        activities: { text?: string }[];
      };
      texts = set.activities.map((x) => x.text ?? '');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(texts[0]).toContain('您好');
    expect(texts[1]).toBe('验证码收不到怎么办');
    expect(texts[2]).toContain('验证码');
  });

  test('phone change and an appeal across instances; the case is found by id on the other one', async () => {
    const channel = await roundRobinChannel(() => [a, b]);
    try {
      await channel.ask('rr-appeal', '我要申诉');
      await channel.ask('rr-appeal', '13800000007');
      await channel.ask('rr-appeal', await latestCode(a.url, '13800000007'));
      await channel.ask('rr-appeal', '我没有违规，账户是被人盗用后才出现异常交易的，请帮我复查');
      const [filed] = await channel.ask('rr-appeal', '跳过');
      const caseId = /AP-\d{8}-[0-9A-Z]{4}/.exec(filed?.text ?? '')?.[0];
      expect(caseId).toBeDefined();
      await channel.ask('rr-status', '查一下申诉进度');
      const [status] = await channel.ask('rr-status', caseId!);
      expect(status?.text).toContain(caseId!);
    } finally {
      await channel.stop();
    }
  });

  test('a code is accepted once, whichever instance hears it first', async () => {
    const channel = await roundRobinChannel(() => [a, b]);
    try {
      const ids = ['once-0', 'once-1', 'once-2', 'once-3', 'once-4', 'once-5'];
      for (const id of ids) {
        await channel.ask(id, '帮我解锁');
        await channel.ask(id, '13800000008');
      }
      const code = await latestCode(b.url, '13800000008');
      // Round robin: the six arrive at both instances at the same moment.
      const replies = await Promise.all(ids.map(async (id) => (await channel.ask(id, code))[0]?.text ?? ''));
      expect(replies.filter((text) => text.startsWith('验证通过'))).toHaveLength(1);
    } finally {
      await channel.stop();
    }
  });

  test('after /api/dev/reset a number that used up its codes for the day gets one again', async () => {
    const channel = await roundRobinChannel(() => [a, b]);
    const phone = '13800000001';
    try {
      // Each code is used at once, so the next may be sent without the 60 s wait.
      for (let i = 0; i < 10; i++) {
        await channel.ask(`cap-${i}`, '帮我解锁');
        const [sent] = await channel.ask(`cap-${i}`, phone);
        expect(sent?.text).toContain('验证码已发送至');
        const [verified] = await channel.ask(`cap-${i}`, await latestCode(a.url, phone));
        expect(verified?.text).toContain('验证通过');
      }
      await channel.ask('cap-10', '帮我解锁');
      const [capped] = await channel.ask('cap-10', phone);
      expect(capped?.text).toContain('次数已达上限');

      expect((await fetch(`${b.url}/api/dev/reset`, { method: 'POST' })).status).toBe(200);
      await channel.ask('cap-11', '帮我解锁');
      const [again] = await channel.ask('cap-11', phone);
      expect(again?.text).toContain('验证码已发送至');
    } finally {
      await channel.stop();
    }
  });
}
