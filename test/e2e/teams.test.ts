import type { SentActivity } from '../support/channel';
import { latestCode, kefuForTests } from '../support/kefuServer';

/**
 * Activities shaped like the ones Microsoft Teams sends, posted to /api/messages; the
 * replies are captured by the test's connector server and checked against what Teams
 * renders: Adaptive Cards up to 1.5, at most 3 suggested actions, never both.
 */

const TENANT = { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
const BOT = { id: '28:kefu-bot-app-id', name: 'Kefu' };
const USER = { id: '29:1a2b3c-user', name: '李四', aadObjectId: '6b1a2c3d-0000-4000-8000-000000000001' };

function personal(id: string) {
  return { id, conversationType: 'personal', tenantId: TENANT.id };
}

function group(id: string) {
  return { id, conversationType: 'groupChat', isGroup: true, tenantId: TENANT.id };
}

function teamsFields(conversation: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    channelId: 'msteams',
    conversation,
    from: USER,
    recipient: BOT,
    locale: 'zh-cn',
    textFormat: 'plain',
    channelData: { tenant: TENANT },
    entities: [{ type: 'clientInfo', locale: 'zh-CN', country: 'CN', platform: 'Windows' }],
    ...extra,
  };
}

function card(activity: SentActivity | undefined) {
  const attachment = (activity?.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined)?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive' ? attachment.content : undefined;
}

/** What Teams would show: every reply keeps within its limits. */
function expectTeamsRenderable(activities: SentActivity[]) {
  for (const activity of activities) {
    const actions = activity.suggestedActions?.actions ?? [];
    expect(actions.length).toBeLessThanOrEqual(3);
    if (activity.attachments && (activity.attachments as unknown[]).length > 0) expect(actions).toHaveLength(0);
    const content = card(activity);
    if (content) {
      expect(Number(content.version)).toBeLessThanOrEqual(1.5);
      for (const action of content.actions as { type: string }[]) expect(['Action.Submit', 'Action.OpenUrl', 'Action.ShowCard']).toContain(action.type);
    }
  }
}

const bot = kefuForTests();

test('installing the app in a personal chat is welcomed', async () => {
  const id = 'a:teams-install-1';
  const { status } = await bot.kefu.channel.post({
    type: 'installationUpdate',
    action: 'add',
    id: 'install-1',
    serviceUrl: bot.kefu.channel.serviceUrl,
    timestamp: new Date().toISOString(),
    ...teamsFields(personal(id)),
  });
  expect(status).toBe(200);
  const [welcome] = await bot.kefu.channel.waitForMessages(id, 1);
  expect(welcome?.text).toContain('您好');
  expectTeamsRenderable([welcome!]);
});

test('personal chat: an answer with at most 3 suggested actions', async () => {
  const id = 'a:teams-personal-1';
  const [answer] = await bot.kefu.channel.ask(id, '换了手机号银行卡要重新绑吗', teamsFields(personal(id)));
  expect(answer?.text).toContain('银行卡');
  expect(answer?.suggestedActions?.actions.map((a) => a.title)).toEqual(expect.arrayContaining(['👍 有帮助', '👎 没帮助']));
  expectTeamsRenderable([answer!]);
});

test('personal chat: a four-option "您是想问" falls back to an Adaptive Card, and its Action.Submit works like typing', async () => {
  const id = 'a:teams-personal-2';
  // Three candidates plus "都不是" are four buttons: one too many for suggested actions.
  const [question] = await bot.kefu.channel.ask(id, '锁了', teamsFields(personal(id)));
  expectTeamsRenderable([question!]);
  const content = card(question);
  expect(content?.version).toBe('1.5');
  const actions = content?.actions as { title: string; data: { text: string } }[];
  expect(actions.map((a) => a.title)).toHaveLength(4);
  expect(actions.at(-1)?.title).toBe('都不是');
  expect(JSON.stringify(content?.body)).toContain('您是想问');
  expect(question?.suggestedActions).toBeUndefined();

  // The user clicks the second option: Teams posts the Action.Submit data as `value`, no text.
  const [answer] = await bot.kefu.channel.ask(id, '', teamsFields(personal(id), { text: undefined, value: actions[1]?.data, replyToId: 'card-1' }));
  expect(answer?.text ?? '').not.toContain('您是想问');
  expect(answer?.suggestedActions?.actions.map((a) => a.title)).toContain('👍 有帮助');
  expectTeamsRenderable([answer!]);
});

test('group chat: the @mention is removed and buttons come as a card', async () => {
  const id = '19:group-chat-1@thread.v2';
  const [answer] = await bot.kefu.channel.ask(
    id,
    '<at>Kefu</at> 换手机号收费吗',
    teamsFields(group(id), { entities: [{ type: 'mention', text: '<at>Kefu</at>', mentioned: BOT }] }),
  );
  const content = card(answer);
  expect(content).toBeDefined();
  expect(JSON.stringify(content?.body)).toMatch(/免费|费用|收费/);
  expect(answer?.suggestedActions).toBeUndefined();
  expectTeamsRenderable([answer!]);
});

test('a message without text (an image only) gets one clear sentence, not a crash', async () => {
  const id = 'a:teams-personal-3';
  const [reply] = await bot.kefu.channel.ask(
    id,
    '',
    teamsFields(personal(id), { text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/x.png' }] }),
  );
  expect(reply?.text).toContain('文字');
  const [next] = await bot.kefu.channel.ask(id, '忘记密码怎么办', teamsFields(personal(id)));
  expect(next?.text).toContain('密码');
});

test('Teams locale tags (en-us) pick English', async () => {
  const id = 'a:teams-personal-4';
  const [answer] = await bot.kefu.channel.ask(id, 'help', teamsFields(personal(id), { locale: 'en-us' }));
  // Five buttons: more than Teams shows as suggested actions, so a card.
  expect((card(answer)?.body as { text: string }[])[0]?.text).toContain('agent');
});

test('help in Teams: a card whose buttons start the flows when submitted', async () => {
  const id = 'a:teams-help';
  const fields = teamsFields(personal(id));
  const [help] = await bot.kefu.channel.ask(id, '帮助', fields);
  expectTeamsRenderable([help!]);
  const actions = (card(help)?.actions ?? []) as { title: string; data: { text: string } }[];
  expect(actions.map((a) => a.title)).toEqual(['帮我解锁', '我要换手机号', '我要申诉', '查询申诉进度', '转人工']);
  const [started] = await bot.kefu.channel.ask(id, '', { ...fields, text: undefined, value: actions[0]?.data });
  expect(started?.text).toContain('请输入账户绑定的手机号');
});

test('phone change in Teams: the confirmation card is answered by an Adaptive Card submit', async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
  const id = 'a:teams-phone-change';
  const fields = teamsFields(personal(id));
  const code = (phone: string) => latestCode(bot.kefu.url, phone);
  await bot.kefu.channel.ask(id, '我要换手机号', fields);
  await bot.kefu.channel.ask(id, '13800000008', fields);
  await bot.kefu.channel.ask(id, await code('13800000008'), fields);
  await bot.kefu.channel.ask(id, '13900000000', fields);
  const [confirm] = await bot.kefu.channel.ask(id, await code('13900000000'), fields);
  expectTeamsRenderable([confirm!]);
  const content = card(confirm);
  expect(content?.version).toBe('1.5');
  const confirmAction = (content?.actions as { title: string; data: { text: string } }[]).find((a) => a.title === '确认更换');
  const [done] = await bot.kefu.channel.ask(id, '', teamsFields(personal(id), { text: undefined, value: confirmAction?.data, replyToId: 'card-2' }));
  expect(done?.text).toContain('更换成功');
});
