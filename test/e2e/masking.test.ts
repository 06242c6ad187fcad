import { Writable } from 'node:stream';
import pino from 'pino';
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
