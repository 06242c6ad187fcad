import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger } from '../../bot/logger';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { latestCode, startKefu } from '../support/kefuServer';

/**
 * Phone numbers, ID numbers and one-time codes, typed by a user through a flow and a
 * handoff: the logs, the KB signals and everything the agent console shows carry them
 * masked (138****0002, 110***********002X) or not at all (codes).
 */
test('numbers masked and codes absent in logs, signals, transcripts and the console', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const kefu = await startKefu({}, undefined, pino({ level: 'debug' }, sink));
  const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  try {
    const id = 'mask-1';
    await kefu.channel.ask(id, '帮我解锁');
    await kefu.channel.ask(id, '13800000002');
    const code = await latestCode(kefu.url, '13800000002');
    await kefu.channel.ask(id, `验证码是 ${code}`);
    await kefu.channel.ask(id, '我的身份证 11010519491231002X 手机 13800000002 怎么还是登不上去呢');
    await kefu.channel.ask(id, '转人工');
    const chatId = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue[0]!.id;
    await wang.post(`/api/agent/chats/${chatId}/claim`);
    const chat = JSON.stringify((await wang.get(`/api/agent/chats/${chatId}`)).body);
    const board = JSON.stringify((await wang.get('/api/agent/board')).body);
    const signals = JSON.stringify(await kefu.signals.list());

    const log = lines.join('');
    expect(log).toContain('"msg":"turn"');
    for (const [where, text] of [
      ['log', log],
      ['console chat', chat],
      ['console board', board],
      ['kb signals', signals],
    ] as const) {
      expect([where, text.includes('13800000002')]).toEqual([where, false]);
      expect([where, text.includes('11010519491231002X')]).toEqual([where, false]);
      expect([where, text.includes(code)]).toEqual([where, false]);
    }
    expect(chat).toContain('138****0002');
    expect(chat).toContain('110***********002X');
  } finally {
    events.close();
    await kefu.stop();
  }
});

/**
 * The same, with numbers and codes typed the ways the flows accept them — spaced, dashed,
 * full-width, with a zero-width character, after +86. Checked on the kept text read the
 * same forgiving way, so no spelling of a number or code survives anywhere.
 */
test('numbers and codes typed spaced, dashed or full-width are masked everywhere too', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const kefu = await startKefu({}, undefined, createLogger('debug', sink));
  const wang = await AgentClient.signIn(kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  const fullWidth = (digits: string) => [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
  try {
    const id = 'mask-typed';
    await kefu.channel.ask(id, '帮我解锁');
    const [sent] = await kefu.channel.ask(id, `我的号码是 ${fullWidth('138')} ${fullWidth('0000')} ${fullWidth('0002')}`);
    expect(sent?.text).toContain('138\\*\\*\\*\\*0002'); // Markdown text: the mask's asterisks escaped
    const code = await latestCode(kefu.url, '13800000002');
    const wrong = code === '010992' ? '010991' : '010992';
    const [refused] = await kefu.channel.ask(id, fullWidth(wrong));
    expect(refused?.text).toContain('验证码不正确');
    const [done] = await kefu.channel.ask(id, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(done?.text).toContain('账户已解锁');
    // A question the bot cannot answer, so it is kept as a KB signal with its numbers and codes
    // (the word 验证码 is left out: with it, the bot now asks whether the SMS code is meant).
    const [unsure] = await kefu.channel.ask(id, '帮我查下 138-0000-0003 和 +86 138 0000 0008 这两个号的话费还剩多少，还有 010 993 和 0109\u200b94 这两串数字');
    expect(unsure?.text).toContain('答不上来');
    await kefu.channel.ask(id, '转人工');
    const chatId = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue[0]!.id;
    await wang.post(`/api/agent/chats/${chatId}/claim`);
    expect((await wang.post(`/api/agent/chats/${chatId}/notes`, { text: '用户说另一个号是 138 0000 0003' })).status).toBe(200);
    const chat = JSON.stringify((await wang.get(`/api/agent/chats/${chatId}`)).body);
    const signals = JSON.stringify(await kefu.signals.list());
    const log = lines.join('');
    expect(signals).toContain('unanswered');
    expect(chat).toContain('用户说另一个号是 138****0003');

    // Read as generously as the flows read: NFKC, no invisible characters, digit groups joined.
    const flat = (text: string) =>
      text
        .normalize('NFKC')
        .replace(/\p{Cf}/gu, '')
        .replace(/(?<=\d)[\s\p{Pd}]+(?=\d)/gu, '');
    const numbers = ['13800000002', '13800000003', '13800000008'];
    const codes = [code, wrong, '010993', '010994'];
    for (const [where, text] of [
      ['log', log],
      ['console chat', chat],
      ['kb signals', signals],
    ] as const) {
      const found = [
        ...numbers.filter((number) => flat(text).includes(number)),
        ...codes.filter((secret) => new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(flat(text))),
      ];
      expect([where, found]).toEqual([where, []]);
    }
    expect(chat).toContain('138****0002');
    for (const kept of [chat, signals]) expect(kept).toContain('帮我查下 138****0003 和 +86138****0008 这两个号的话费还剩多少，还有 ****** 和 ****** 这两串数字');
  } finally {
    events.close();
    await kefu.stop();
  }
});
