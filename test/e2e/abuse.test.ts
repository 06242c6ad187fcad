import { startKefu } from '../support/kefuServer';

/** Limits and bad input: each gets one clear answer, and none of it reaches a turn. */

async function turnsHandled(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('kefu_turns_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

test('a message over MAX_MESSAGE_CHARS gets one polite sentence and changes nothing', async () => {
  const kefu = await startKefu();
  try {
    await kefu.channel.ask('long-1', '帮我解锁');
    const replies = await kefu.channel.ask('long-1', '我'.repeat(2001));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('最多能看 2000 个字');
    // Still at the number step, with no invalid answer counted.
    const [next] = await kefu.channel.ask('long-1', '13800000003');
    expect(next?.text).toContain('验证码已发送');
    const [english] = await kefu.channel.ask('long-2', 'please help me '.repeat(140));
    expect(english?.text).toContain('up to 2000 characters');
  } finally {
    await kefu.stop();
  }
});

test('more than RATE_LIMIT_MESSAGES per window: told once to slow down, the rest not handled; fine again later', async () => {
  const kefu = await startKefu({ RATE_LIMIT_MESSAGES: '5', RATE_LIMIT_WINDOW_S: '2' });
  try {
    for (let i = 0; i < 5; i++) expect((await kefu.channel.ask('fast-1', '忘记密码怎么办'))[0]?.text).toMatch(/密码/);
    const before = await turnsHandled(kefu.url);
    const [slow] = await kefu.channel.ask('fast-1', '忘记密码怎么办');
    expect(slow?.text).toContain('请稍等几秒再发');
    const count = kefu.channel.messages('fast-1').length;
    expect((await kefu.channel.say('fast-1', '忘记密码怎么办')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(kefu.channel.messages('fast-1')).toHaveLength(count);
    expect(await turnsHandled(kefu.url)).toBe(before);
    // Another user is not affected.
    expect((await kefu.channel.ask('calm-1', '忘记密码怎么办'))[0]?.text).toMatch(/密码/);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await kefu.channel.ask('fast-1', '忘记密码怎么办'))[0]?.text).toMatch(/密码/);
  } finally {
    await kefu.stop();
  }
});

test('oversized bodies 413, malformed JSON 400, unknown routes 404 — all JSON, no turn', async () => {
  const kefu = await startKefu();
  try {
    const before = await turnsHandled(kefu.url);
    const huge = await kefu.channel.post({ type: 'message', text: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    const bad = await fetch(`${kefu.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message",' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual(expect.objectContaining({ message: expect.stringContaining('JSON') }));
    const wrongShape = await kefu.channel.post({ type: 'message', text: 42, conversation: 'nope' });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body).toEqual({ error: expect.any(String) });
    const missing = await fetch(`${kefu.url}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(await turnsHandled(kefu.url)).toBe(before);
  } finally {
    await kefu.stop();
  }
});
