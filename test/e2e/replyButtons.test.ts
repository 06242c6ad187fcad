import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import type { SentActivity } from '../support/channel';
import { latestCode, kefuForTests } from '../support/kefuServer';
import { until } from '../support/until';

/**
 * Buttons and masked numbers through /api/messages, as Teams and the Emulator receive them:
 * masks that Markdown cannot eat, buttons that say what they do in words, and a card's
 * buttons clicked after their step is over.
 */

const TEAMS = {
  channelId: 'msteams',
  from: { id: '29:user-buttons', name: '李四' },
  recipient: { id: '28:kefu-bot-app-id', name: 'Kefu' },
  locale: 'zh-cn',
  channelData: { tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } },
};
const teams = (id: string, extra: Record<string, unknown> = {}) => ({ ...TEAMS, conversation: { id, conversationType: 'personal' }, ...extra });

interface Card {
  body: { type: string; text: string }[];
  actions: { title: string; data: { text: string } }[];
}
const cardOf = (activity: SentActivity | undefined) => (activity?.attachments as { content: Card }[] | undefined)?.[0]?.content;
/** What a CommonMark reader (Teams, Web Chat) shows: `\*` is a literal asterisk, a bare one is emphasis. */
const bareAsterisk = /(?<!\\)\*/;
const shown = (markdown: string) => markdown.replace(/\\\*/g, '*');

const FALLBACK = /答不上来|don't have an answer/;
const STEP_OVER_ZH = '那一步已经结束了';

const bot = kefuForTests();
beforeEach(async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
});

/** Phone change of 13800000008 to 13900000000 up to the confirmation card. */
async function toConfirmation(id: string, extra: Record<string, unknown>): Promise<{ confirm: SentActivity | undefined; codeSent: SentActivity | undefined }> {
  await bot.kefu.channel.ask(id, '我要换手机号', extra);
  const [codeSent] = await bot.kefu.channel.ask(id, '13800000008', extra);
  await bot.kefu.channel.ask(id, await latestCode(bot.kefu.url, '13800000008'), extra);
  await bot.kefu.channel.ask(id, '13900000000', extra);
  const [confirm] = await bot.kefu.channel.ask(id, await latestCode(bot.kefu.url, '13900000000'), extra);
  return { confirm, codeSent };
}

test('Teams: the confirmation card shows both masked numbers literally; its buttons are plain words', async () => {
  const id = 'a:buttons-teams-confirm';
  const { confirm, codeSent } = await toConfirmation(id, teams(id));
  const card = cardOf(confirm);
  const block = card?.body[0];
  expect(block?.type).toBe('TextBlock');
  expect(block?.text).not.toMatch(bareAsterisk);
  expect(shown(block?.text ?? '')).toContain('从 138****0008 更换为 139****0000');
  expect(card?.actions.map((a) => [a.title, a.data.text])).toEqual([
    ['确认更换', '确认更换'],
    ['取消', '取消'],
  ]);
  // The Markdown text messages too (Teams reads textFormat markdown).
  expect(codeSent?.textFormat).toBe('markdown');
  expect(codeSent?.text).not.toMatch(bareAsterisk);
  expect(shown(codeSent?.text ?? '')).toContain('138****0008');
});

test('a card button clicked after its flow was cancelled says that step is over, and the chat goes on', async () => {
  const id = 'a:buttons-stale-cancel';
  const { confirm } = await toConfirmation(id, teams(id));
  const actions = cardOf(confirm)?.actions ?? [];
  const submit = (title: string) => bot.kefu.channel.ask(id, '', teams(id, { text: undefined, value: actions.find((a) => a.title === title)?.data, replyToId: 'card' }));

  const [cancelled] = await submit('取消');
  expect(cancelled?.text).toContain('已取消');
  for (const title of ['确认更换', '取消']) {
    const [late] = await submit(title);
    expect(late?.text).toContain(STEP_OVER_ZH);
    expect(late?.text).not.toMatch(FALLBACK);
  }
  // Nothing changed hands, and the conversation carries on as before.
  expect((await fetch(`${bot.kefu.url}/api/dev/accounts/13900000000`)).status).toBe(404);
  const [answer] = await bot.kefu.channel.ask(id, '忘记密码怎么办', teams(id));
  expect(answer?.text).toMatch(/密码/);
  expect(answer?.text).not.toContain(STEP_OVER_ZH);
});

test('the confirm button clicked again after the change was made says that step is over (and English in English)', async () => {
  const id = 'buttons-stale-confirm';
  const { confirm } = await toConfirmation(id, {});
  const data = cardOf(confirm)?.actions.find((a) => a.title === '确认更换')?.data;
  const [done] = await bot.kefu.channel.ask(id, '', { text: undefined, value: data });
  expect(done?.text).toContain('更换成功');
  const [again] = await bot.kefu.channel.ask(id, '', { text: undefined, value: data });
  expect(again?.text).toContain(STEP_OVER_ZH);

  // An English chat's stale "Cancel" is answered in English.
  const [english] = await bot.kefu.channel.ask('buttons-stale-en', 'Cancel', { locale: 'en-US' });
  expect(english?.text).toContain('That step is already over');
});

test('feedback buttons carry words (the emoji is decoration); the words, typed or clicked, and a bare 👍 still count', async () => {
  const id = 'buttons-feedback';
  const [answer] = await bot.kefu.channel.ask(id, '验证码收不到怎么办');
  const actions = answer?.suggestedActions?.actions ?? [];
  const helpful = actions.find((a) => a.title.includes('有帮助'));
  const notHelpful = actions.find((a) => a.title.includes('没帮助'));
  expect(helpful).toEqual(expect.objectContaining({ title: '👍 有帮助', value: '有帮助' }));
  expect(notHelpful).toEqual(expect.objectContaining({ title: '👎 没帮助', value: '没帮助' }));
  const [thanks] = await bot.kefu.channel.ask(id, helpful?.value ?? '');
  expect(thanks?.text).toContain('感谢您的反馈');

  await bot.kefu.channel.ask(id, '验证码收不到怎么办');
  const [sorry] = await bot.kefu.channel.ask(id, '👎');
  expect(sorry?.text).toContain('抱歉没能帮到您');

  const [english] = await bot.kefu.channel.ask(id, 'how do i reset my password', { locale: 'en-US' });
  const englishActions = english?.suggestedActions?.actions ?? [];
  expect(englishActions).toEqual(expect.arrayContaining([
    expect.objectContaining({ title: '👍 Helpful', value: 'Helpful' }),
    expect.objectContaining({ title: '👎 Not helpful', value: 'Not helpful' }),
  ]));
});

test('rating buttons carry "n 分" words; a clicked value rates, and clicked again after rating says the step is over', async () => {
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  try {
    const id = 'buttons-rating';
    const board = async () => (await wang.get<{ agentsOnline: number; queue: { id: string }[] }>('/api/agent/board')).body;
    await until(async () => (await board()).agentsOnline === 1);
    await bot.kefu.channel.ask(id, '转人工');
    const [item] = (await board()).queue;
    const chatPath = `/api/agent/chats/${item?.id ?? ''}`;
    let count = bot.kefu.channel.messages(id).length;
    expect((await wang.post(`${chatPath}/claim`)).status).toBe(200);
    await bot.kefu.channel.waitForMessages(id, count + 1);
    count = bot.kefu.channel.messages(id).length;
    expect((await wang.post(`${chatPath}/resolve`)).status).toBe(200);
    const [rating] = (await bot.kefu.channel.waitForMessages(id, count + 1)).slice(count);
    const actions = rating?.suggestedActions?.actions ?? [];
    expect(actions.map((a) => [a.title, a.value])).toEqual([
      ['⭐ 5 分', '5 分'],
      ['⭐ 4 分', '4 分'],
      ['⭐ 3 分', '3 分'],
      ['⭐ 2 分', '2 分'],
      ['⭐ 1 分', '1 分'],
    ]);
    const [thanks] = await bot.kefu.channel.ask(id, '4 分');
    expect(thanks?.text).toContain('感谢您的评价');
    const [late] = await bot.kefu.channel.ask(id, '5 分');
    expect(late?.text).toContain(STEP_OVER_ZH);
  } finally {
    events.close();
  }
});
