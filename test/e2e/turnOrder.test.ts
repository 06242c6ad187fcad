import { startKefu } from '../support/kefuServer';

/** Turns of one conversation run one at a time; a message that cannot wait is answered, not dropped. */

test('two messages at once: handled in order, each answered once', async () => {
  const kefu = await startKefu();
  try {
    kefu.channel.replyDelayMs = 200;
    const first = kefu.channel.say('order-1', '今天天气怎么样');
    const second = kefu.channel.say('order-1', '讲个笑话');
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    const texts = (await kefu.channel.waitForMessages('order-1', 2)).map((m) => m.text);
    // The second saw the first's state: two misses in a row → the offer of a person.
    expect(texts[0]).toContain('答不上来');
    expect(texts[1]).toContain('需要为您转接人工客服吗');
  } finally {
    await kefu.stop();
  }
});

test('a message that waits longer than TURN_LOCK_WAIT_MS is told to come again', async () => {
  const kefu = await startKefu({ TURN_LOCK_WAIT_MS: '100' });
  try {
    kefu.channel.replyDelayMs = 600;
    const first = kefu.channel.say('busy-1', '忘记密码怎么办');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = kefu.channel.say('busy-1', '验证码收不到怎么办');
    await Promise.all([first, second]);
    const texts = (await kefu.channel.waitForMessages('busy-1', 2)).map((m) => m.text ?? '');
    expect(texts.some((t) => t.includes('上一条消息还在处理中'))).toBe(true);
    expect(texts.some((t) => t.includes('密码'))).toBe(true);
  } finally {
    await kefu.stop();
  }
});
