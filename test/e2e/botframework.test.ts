import type { Knowledge } from '../../knowledge/index';
import { startKefu, type RunningKefu } from '../support/kefuServer';
import { realKnowledge } from '../support/knowledge';

/**
 * Kefu as the Bot Framework Emulator sees it: the real restify server and CloudAdapter,
 * activities posted to /api/messages, replies received by a connector at `serviceUrl`.
 */

const buttons = (activity: { suggestedActions?: { actions: { title: string }[] } }) =>
  activity.suggestedActions?.actions.map((a) => a.title) ?? [];

describe('Kefu over the Bot Framework protocol (Emulator path)', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('welcomes a user who joins, in Chinese, with sample questions', async () => {
    const { status } = await kefu.channel.join('welcome-1');
    expect(status).toBe(200);
    const [welcome] = await kefu.channel.waitForMessages('welcome-1', 1);
    expect(welcome?.text).toContain('您好');
    expect(buttons(welcome ?? { type: 'message' })).toContain('验证码收不到怎么办');
  });

  test('answers an FAQ question with the right article and 👍/👎 buttons', async () => {
    const [answer] = await kefu.channel.ask('faq-1', '换了手机号银行卡要重新绑吗');
    expect(answer?.text).toContain('银行卡');
    expect(answer?.text).toMatch(/重新绑定/);
    expect(buttons(answer!)).toEqual(expect.arrayContaining(['👍 有帮助', '👎 没帮助']));
    expect(answer?.replyToId).toBeDefined();
  });

  test('answers an English question in English', async () => {
    const [answer] = await kefu.channel.ask('faq-en', 'how do i unlock my account');
    expect(answer?.locale).toBe('en-US');
    expect(answer?.text).toMatch(/password|unlock|support/i);
    expect(buttons(answer!)).toContain('👍 Helpful');
  });

  test('asks "您是想问" when two articles fit, and a typed number picks one', async () => {
    const [question] = await kefu.channel.ask('clarify-1', '手机号');
    expect(question?.text).toContain('您是想问');
    expect(question?.text).toMatch(/1\. .+\n2\. .+/);
    const options = buttons(question!);
    expect(options.length).toBeGreaterThanOrEqual(3);
    expect(options).toContain('都不是');

    const [answer] = await kefu.channel.ask('clarify-1', '2');
    expect(answer?.text).not.toContain('您是想问');
    expect(buttons(answer!)).toContain('👍 有帮助');
  });

  test('says honestly it does not know, and offers a person after two misses in a row', async () => {
    const [first] = await kefu.channel.ask('fallback-1', '今天天气怎么样');
    expect(first?.text).toContain('答不上来');
    const [second] = await kefu.channel.ask('fallback-1', '给我推荐一只股票');
    expect(second?.text).toContain('人工客服');
    expect(buttons(second!)).toEqual(['转人工', '不用了']);
    const [declined] = await kefu.channel.ask('fallback-1', '不用了');
    expect(declined?.text).toContain('继续问我');
    const unanswered = (await kefu.signals.list()).filter((s) => s.kind === 'unanswered' && s.conversation);
    expect(unanswered.map((s) => s.question)).toEqual(expect.arrayContaining(['今天天气怎么样', '给我推荐一只股票']));
  });

  test('records 👍 and 👎 feedback against the answered entry', async () => {
    await kefu.channel.ask('feedback-1', '验证码收不到怎么办');
    const [thanks] = await kefu.channel.ask('feedback-1', '👍 有帮助');
    expect(thanks?.text).toContain('感谢');
    await kefu.channel.ask('feedback-1', '换手机号收费吗');
    const [sorry] = await kefu.channel.ask('feedback-1', '没用');
    expect(sorry?.text).toContain('抱歉');
    const votes = (await kefu.signals.list()).filter((s) => s.kind === 'feedback');
    expect(votes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ vote: 'up', entryId: 'sms-code-not-received', question: '验证码收不到怎么办' }),
        expect.objectContaining({ vote: 'down', entryId: 'phone-change-fee', question: '换手机号收费吗' }),
      ]),
    );
  });

  test('a card submission with a feedback value counts like the typed button', async () => {
    await kefu.channel.ask('feedback-card', '忘记密码怎么办');
    const [thanks] = await kefu.channel.ask('feedback-card', '', { text: undefined, value: { kefu: 'feedback', vote: 'up' } });
    expect(thanks?.text).toContain('感谢');
  });

  test('rejects a malformed activity with 400 and keeps serving', async () => {
    const missingConversation = await kefu.channel.post({ type: 'message', text: 'hi', channelId: 'emulator', serviceUrl: kefu.channel.serviceUrl });
    expect(missingConversation.status).toBe(400);
    expect(JSON.stringify(missingConversation.body)).toContain('conversation');
    const brokenJson = await kefu.channel.post('{"type": "message",');
    expect(brokenJson.status).toBe(400);
    const notAnObject = await kefu.channel.post('[1,2,3]');
    expect(notAnObject.status).toBe(400);

    const [answer] = await kefu.channel.ask('after-bad-1', '怎么绑定手机号');
    expect(answer?.text).toMatch(/绑定/);
  });

  test('help and restart work at any point', async () => {
    await kefu.channel.ask('commands-1', '手机号');
    const [help] = await kefu.channel.ask('commands-1', '帮助');
    expect(help?.text).toContain('转人工');
    const [restarted] = await kefu.channel.ask('commands-1', '重新开始');
    expect(restarted?.text).toContain('重新开始');
    // The clarification was dropped: "2" is no longer an option number.
    const [afterRestart] = await kefu.channel.ask('commands-1', '2');
    expect(afterRestart?.text).toContain('答不上来');
  });

  test('GET /healthz reports the knowledge base is loaded', async () => {
    const response = await fetch(`${kefu.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.objectContaining({ status: 'ok' }));
  });
});

describe('failures', () => {
  test('a turn that throws gets one apology, and the conversation state is kept', async () => {
    const real = realKnowledge();
    const flaky: Knowledge = {
      kb: real.kb,
      router: {
        entry: (id, locale) => real.router.entry(id, locale),
        acts: real.router.acts,
        route: (text, hint) => {
          if (text === '触发故障') throw new Error('simulated search failure');
          return real.router.route(text, hint);
        },
      },
    };
    const kefu = await startKefu({}, flaky);
    try {
      const [question] = await kefu.channel.ask('crash-1', '手机号');
      expect(question?.text).toContain('您是想问');
      const [apology] = await kefu.channel.ask('crash-1', '触发故障');
      expect(apology?.text).toContain('出了点问题');
      // Still clarifying: the failed turn did not lose or corrupt the state.
      const [answer] = await kefu.channel.ask('crash-1', '1');
      expect(answer?.text).not.toContain('您是想问');
      expect(buttons(answer!)).toContain('👍 有帮助');
    } finally {
      await kefu.stop();
    }
  });

  test('with MicrosoftAppId set, requests without a Bot Framework token get 401', async () => {
    const kefu = await startKefu({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
    try {
      const { status } = await kefu.channel.say('auth-1', '你好');
      expect(status).toBe(401);
      expect(kefu.channel.messages('auth-1')).toHaveLength(0);
    } finally {
      await kefu.stop();
    }
  });

  test('shutdown lets an in-flight turn finish and refuses new ones', async () => {
    const kefu = await startKefu();
    let stopping: Promise<void> | undefined;
    try {
      // The turn is certainly in flight when shutdown starts: its reply is held at the connector.
      const held = kefu.channel.holdReplies();
      const inFlight = kefu.channel.say('shutdown-1', '验证码收不到怎么办');
      await held.arrived;
      stopping = kefu.app.shutdown();
      held.release();
      const { status } = await inFlight;
      await stopping;
      expect(status).toBe(200);
      expect(kefu.channel.messages('shutdown-1')).toHaveLength(1);
      await expect(kefu.channel.say('shutdown-2', '你好')).rejects.toThrow();
    } finally {
      // A failed assertion must not leave the servers open: jest would not exit.
      await (stopping ?? kefu.app.shutdown()).catch(() => undefined);
      await kefu.channel.stop();
    }
  });
});
