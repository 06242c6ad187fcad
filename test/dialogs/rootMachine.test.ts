import { TurnRunner, type TurnOutcome } from '../../bot/conversation/turnRunner';
import { createRootMachine } from '../../dialogs/rootMachine';
import { realKnowledge } from '../support/knowledge';

/**
 * The conversation core driven turn by turn, the way the bot does it: every snapshot goes
 * through JSON (as it does through conversation state) before the next turn.
 */
class Conversation {
  private snapshot: unknown;
  readonly runner: TurnRunner;

  constructor(private readonly channelLocale?: 'zh-CN' | 'en-US') {
    const { router } = realKnowledge();
    this.runner = new TurnRunner(createRootMachine(router), router, 'zh-CN');
  }

  private turn(input: Parameters<TurnRunner['run']>[1]): TurnOutcome {
    const outcome = this.runner.run(this.snapshot, input, this.channelLocale);
    this.snapshot = JSON.parse(JSON.stringify(outcome.snapshot));
    return outcome;
  }

  join() {
    return this.turn({ kind: 'joined' });
  }

  say(text: string) {
    return this.turn({ kind: 'message', text });
  }

  submit(value: unknown) {
    return this.turn({ kind: 'message', value });
  }

  get state(): unknown {
    return (this.snapshot as { value?: unknown } | undefined)?.value;
  }
}

const text = (o: TurnOutcome) => o.replies.map((r) => r.text).join('\n');
const buttons = (o: TurnOutcome) => o.replies.flatMap((r) => r.suggestions?.map((s) => s.title) ?? []);

describe('root conversation machine', () => {
  test('welcome follows the channel locale', () => {
    expect(text(new Conversation('zh-CN').join())).toContain('您好');
    expect(text(new Conversation('en-US').join())).toContain('Hi');
  });

  test('an answer carries feedback buttons; feedback refers to that answer once', () => {
    const c = new Conversation();
    const answer = c.say('验证码收不到怎么办');
    expect(answer.route?.decision).toBe('answer');
    expect(buttons(answer)).toEqual(expect.arrayContaining(['👍 有帮助', '👎 没帮助']));
    const vote = c.say('👎 没帮助');
    expect(vote.signals).toEqual([expect.objectContaining({ kind: 'feedback', vote: 'down', entryId: 'sms-code-not-received' })]);
    // A second vote has no answer left to refer to: thanked, not recorded twice.
    expect(c.say('👍').signals).toEqual([]);
  });

  test('answers list the related questions and offer one as a button', () => {
    const answer = new Conversation().say('换了手机号银行卡要重新绑吗');
    expect(text(answer)).toContain('您可能还想了解');
    expect(buttons(answer).length).toBeLessThanOrEqual(3);
  });

  test('clarify: a number, the option text or a card choice picks the entry', () => {
    const byNumber = new Conversation();
    const question = byNumber.say('绑定手机的步骤');
    expect(byNumber.state).toBe('clarifying');
    const options = question.replies[0]?.suggestions?.map((s) => s.title) ?? [];
    expect(byNumber.say('第二个').replies[0]?.text).not.toContain('您是想问');
    expect(byNumber.state).toBe('idle');

    const byText = new Conversation();
    byText.say('绑定手机的步骤');
    const picked = byText.say(options[0] ?? '');
    expect(buttons(picked)).toContain('👍 有帮助');

    const byCard = new Conversation();
    byCard.say('绑定手机的步骤');
    const carded = byCard.submit({ kefu: 'choose', entryId: 'bind-phone-how' });
    expect(text(carded)).toMatch(/绑定/);
    expect(byCard.state).toBe('idle');
  });

  test('clarify: "都不是" asks to rephrase and records the miss; a new question is just answered', () => {
    const none = new Conversation();
    none.say('绑定手机的步骤');
    const rephrase = none.say('都不是');
    expect(text(rephrase)).toContain('换个说法');
    expect(rephrase.signals).toEqual([expect.objectContaining({ kind: 'unanswered', question: '绑定手机的步骤' })]);

    const moveOn = new Conversation();
    moveOn.say('绑定手机的步骤');
    const answer = moveOn.say('忘记密码怎么办');
    expect(answer.route).toEqual(expect.objectContaining({ decision: 'answer', entryId: 'password-forgot' }));
    expect(text(answer)).toMatch(/密码/);
    expect(moveOn.state).toBe('idle');
  });

  test('two fallbacks in a row offer a person; yes explains how to reach one', () => {
    const c = new Conversation();
    expect(text(c.say('今天天气怎么样'))).toContain('答不上来');
    const offer = c.say('讲个笑话');
    expect(text(offer)).toContain('人工客服');
    expect(c.state).toBe('offeringHuman');
    const yes = c.say('好的');
    expect(yes.replies[0]?.text).toMatch(/7×24|7x24|人工/);
    expect(c.state).toBe('idle');
  });

  test('an answer in between resets the fallback count', () => {
    const c = new Conversation();
    c.say('今天天气怎么样');
    c.say('忘记密码怎么办');
    expect(text(c.say('讲个笑话'))).not.toContain('转接人工');
  });

  test('a request to do something is answered with the how-to article for now', () => {
    const unlock = new Conversation().say('帮我解锁');
    expect(unlock.route).toEqual(expect.objectContaining({ decision: 'flow', flow: 'unlock' }));
    expect(text(unlock)).toMatch(/解锁|密码/);
  });

  test('replies follow the language the user writes in', () => {
    const c = new Conversation('zh-CN');
    const english = c.say('how do i reset my password');
    expect(english.locale).toBe('en-US');
    expect(text(english)).toMatch(/password/i);
    // "ok" tells nothing: the conversation stays in English.
    expect(c.say('ok').locale).toBe('en-US');
    expect(c.say('忘记密码怎么办').locale).toBe('zh-CN');
  });

  test('help, restart and non-text messages', () => {
    const c = new Conversation();
    expect(text(c.say('帮助'))).toContain('转人工');
    expect(text(c.say('help'))).toContain('agent');
    c.say('绑定手机的步骤');
    expect(text(c.say('重新开始'))).toContain('重新开始');
    expect(c.state).toBe('idle');
    expect(text(c.submit({ unexpected: ['card', 1] }))).toContain('文字');
  });

  test('an unreadable stored snapshot starts a fresh conversation instead of failing', () => {
    const { router } = realKnowledge();
    const runner = new TurnRunner(createRootMachine(router), router, 'zh-CN');
    const outcome = runner.run({ status: 'active', value: 'no-such-state', context: {} }, { kind: 'message', text: '忘记密码怎么办' });
    expect(outcome.route).toEqual(expect.objectContaining({ decision: 'answer', entryId: 'password-forgot' }));
    expect(outcome.replies).toHaveLength(1);
  });
});
