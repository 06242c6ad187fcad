import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuAndBrowser, WidgetPage } from '../support/browser';
import { until } from '../support/until';

/**
 * The widget while a person has the chat (Web Chat in Chromium, the agent on the console's
 * API): typing shows both ways, the header and the agent's lines say who is writing, and
 * after the chat is resolved the bot is back. Screenshots go to test-artifacts/webchat-agent/.
 */
jest.setTimeout(120_000);

const bot = kefuAndBrowser();

/** Avatars beside the bot's side of the transcript, oldest first: the agent's initial, or "bot". */
const AVATARS = `.webchat__stacked-layout:not(.webchat__stacked-layout--from-user) .webchat__stacked-layout__avatar-gutter`;

test('an agent has the chat: typing shows both ways, the header and the avatar are the agent’s, and the bot’s again after resolve', async () => {
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  const stream = await wang.stream();
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-agent');
  const status = widget.page.locator('#kefu-status');
  const header = widget.page.locator('.kefu-header .kefu-avatar');
  try {
    await widget.waitForBot('您好');
    await until(async () => (await status.textContent()) === '在线 · 智能客服为您服务');
    const board = async () => (await wang.get<{ agentsOnline: number; queue: { id: string }[] }>('/api/agent/board')).body;
    await until(async () => (await board()).agentsOnline === 1);
    let before = await widget.say('转人工');
    await widget.waitForBot('排在第', before);
    let id = '';
    await until(async () => (id = (await board()).queue[0]?.id ?? '') !== '');
    before = (await widget.botTexts()).length;
    expect((await wang.post(`/api/agent/chats/${id}/claim`)).status).toBe(200);
    await widget.waitForBot('已接入', before);

    // The header names the agent as soon as the agent joins.
    await until(async () => (await status.textContent()) === '在线 · 人工客服「小王」为您服务');
    expect(await header.textContent()).toBe('小');

    // The user types (no Enter yet): the agent's console hears of it.
    const heard = stream.events.length;
    await widget.page.locator('[data-id="webchat-sendbox-input"]').pressSequentially('我的账户', { delay: 50 });
    await until(async () => stream.events.slice(heard).some((e) => e.type === 'typing' && e.id === id));

    // The agent types: the user sees Web Chat's typing indicator.
    expect((await wang.post(`/api/agent/chats/${id}/typing`)).status).toBe(200);
    const typing = widget.page.locator('.webchat__typing-indicator');
    await typing.waitFor({ state: 'visible', timeout: 30_000 });
    await widget.screenshot('agent-typing');

    before = (await widget.botTexts()).length;
    expect((await wang.post(`/api/agent/chats/${id}/messages`, { text: '您好，我是小王，请问账户遇到了什么问题？' })).status).toBe(200);
    await widget.waitForBot('我是小王', before);
    // The agent's line has the agent's avatar; the bot's lines before it keep the bot's.
    await until(async () => (await widget.page.locator(`${AVATARS} .kefu-agent-avatar`).count()) === 1);
    expect(await widget.page.locator(`${AVATARS} .kefu-agent-avatar`).textContent()).toBe('小');
    expect(await widget.page.locator(`${AVATARS} .webchat__defaultAvatar`).count()).toBeGreaterThan(0);
    await widget.screenshot('agent-wrote');

    // A reload still shows who has the chat.
    await widget.page.reload();
    await widget.waitForBot('我是小王');
    await until(async () => (await status.textContent()) === '在线 · 人工客服「小王」为您服务');
    await until(async () => (await widget.page.locator(`${AVATARS} .kefu-agent-avatar`).count()) === 1);

    before = (await widget.botTexts()).length;
    expect((await wang.post(`/api/agent/chats/${id}/resolve`)).status).toBe(200);
    await widget.waitForBot('请为客服的服务打个分', before);
    await until(async () => (await status.textContent()) === '在线 · 智能客服为您服务');
    expect(await header.textContent()).toBe('客');
    await widget.screenshot('resolved');
  } finally {
    stream.close();
    await widget.close();
  }
});
