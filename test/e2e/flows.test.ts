import { latestCode as latestCodeOf, startKefu, kefuForTests } from '../support/kefuServer';

/** Guided flows through /api/messages, the code read from the dev outbox as a user reads SMS. */

const bot = kefuForTests();
beforeEach(async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
});

const latestCode = (phone: string) => latestCodeOf(bot.kefu.url, phone);

async function account(phone: string): Promise<{ status: string }> {
  return (await (await fetch(`${bot.kefu.url}/api/dev/accounts/${phone}`)).json()) as { status: string };
}

test.each(['13800000002', '13800000003'])('unlock of %s in the Emulator path, visible in the demo directory', async (phone) => {
  const id = `unlock-${phone}`;
  expect((await account(phone)).status).toBe('locked');
  const [ask] = await bot.kefu.channel.ask(id, '帮我解锁');
  expect(ask?.text).toContain('手机号');
  const [sent] = await bot.kefu.channel.ask(id, phone);
  expect(sent?.text).toContain(`${phone.slice(0, 3)}\\*\\*\\*\\*${phone.slice(-4)}`); // Markdown text: the mask's asterisks escaped
  const code = await latestCode(phone);
  expect(code).toMatch(/^\d{6}$/);
  const [done] = await bot.kefu.channel.ask(id, code);
  expect(done?.text).toContain('账户已解锁');
  expect((await account(phone)).status).toBe('active');
});

test('13800000004 ends in a handoff request, never in an unlocked account', async () => {
  const id = 'unlock-13800000004';
  await bot.kefu.channel.ask(id, '帮我解锁');
  await bot.kefu.channel.ask(id, '13800000004');
  const replies = await bot.kefu.channel.ask(id, await latestCode('13800000004'), {}, 2);
  expect(replies.map((r) => r.text).join('\n')).toContain('不能自助解锁');
  expect((await account('13800000004')).status).toBe('locked');
});

test('phone change of 13800000008 to 13900000000 in the Emulator path, visible in the demo directory', async () => {
  const id = 'phone-change-1';
  await bot.kefu.channel.ask(id, '我要换手机号');
  await bot.kefu.channel.ask(id, '13800000008');
  await bot.kefu.channel.ask(id, await latestCode('13800000008'));
  await bot.kefu.channel.ask(id, '13900000000');
  const [confirm] = await bot.kefu.channel.ask(id, await latestCode('13900000000'));
  // The confirmation is a card: Adaptive Card 1.5 with both numbers masked (the masks escaped, as the TextBlock is Markdown).
  const card = (confirm?.attachments as { content: { version: string; body: { text: string }[]; actions: { title: string; data: { text: string } }[] } }[])[0]?.content;
  expect(card?.version).toBe('1.5');
  expect(card?.body[0]?.text).toContain('138\\*\\*\\*\\*0008 更换为 139\\*\\*\\*\\*0000');
  const [done] = await bot.kefu.channel.ask(id, '', { text: undefined, value: card?.actions[0]?.data });
  expect(done?.text).toContain('更换成功');
  expect((await account('13900000000')).status).toBe('active');
  expect((await fetch(`${bot.kefu.url}/api/dev/accounts/13800000008`)).status).toBe(404);
});

test('an appeal for 13800000005 in the Emulator path, visible in the demo directory', async () => {
  const id = 'appeal-1';
  await bot.kefu.channel.ask(id, '我要申诉');
  await bot.kefu.channel.ask(id, '13800000005');
  await bot.kefu.channel.ask(id, await latestCode('13800000005'), {}, 2);
  await bot.kefu.channel.ask(id, '实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。');
  const [filed] = await bot.kefu.channel.ask(id, '跳过');
  const caseId = /AP-\d{8}-[0-9A-Z]{4}/.exec(filed?.text ?? '')?.[0];
  expect(caseId).toBeDefined();
  const record = (await (await fetch(`${bot.kefu.url}/api/dev/accounts/13800000005`)).json()) as { status: string; cases: { id: string; status: string }[] };
  expect(record.cases).toEqual([expect.objectContaining({ id: caseId, status: 'received' })]);

  const [ask] = await bot.kefu.channel.ask(id, '查询申诉进度');
  expect(ask?.text).toContain('案件号');
  const [status] = await bot.kefu.channel.ask(id, caseId ?? '');
  expect(status?.text).toContain(`${caseId}：**已受理**`);
});

test.each([
  { locale: 'zh-CN', start: '我要申诉', explanation: '实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。', stated: '不超过 5 MB', refused: '超过了每次上传 5 MB 的上限', skip: '跳过', filed: '案件号' },
  { locale: 'en-US', start: 'I want to appeal', explanation: 'The photo of my ID was blurry; here is a clear one, please review again.', stated: 'at most 5 MB per upload', refused: 'over the 5 MB upload limit', skip: 'skip', filed: 'case' },
])('the appeal states the configured upload limit in $locale, and a file the channel refused is answered with it, the step kept', async ({ locale, start, explanation, stated, refused, skip, filed }) => {
  // 5 MB is what the bot once promised on its own; now it is configuration, and the bot says what is configured.
  const five = await startKefu({ DIRECTLINE_MAX_UPLOAD_BYTES: String(5 * 1024 * 1024) });
  try {
    const id = `appeal-limit-${locale}`;
    const as = { locale };
    await five.channel.ask(id, start, as);
    await five.channel.ask(id, '13800000005', as);
    await five.channel.ask(id, await latestCodeOf(five.url, '13800000005'), as, 2);
    const [prompt] = await five.channel.ask(id, explanation, as);
    expect(prompt?.text).toContain(stated);
    // What the embedded Direct Line sends in place of a file over the limit.
    const [answer, ...more] = await five.channel.ask(id, '', { ...as, attachments: [{ contentType: 'application/vnd.kefu.upload-refused', name: 'scan.pdf', content: { reason: 'too-large' } }] });
    expect(answer?.text).toContain(refused);
    expect(more).toEqual([]);
    const [done] = await five.channel.ask(id, skip, as);
    expect(done?.text?.toLowerCase()).toContain(filed);
  } finally {
    await five.stop();
  }
});
