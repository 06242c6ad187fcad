import { toActivity, type Destination } from '../../bot/channels/render';
import { maskText } from '../../domain/mask';
import { flowMessages } from '../../dialogs/flows/flowMessages';
import type { Reply } from '../../dialogs/reply';

/**
 * Masked values must read as written wherever a reply is Markdown: Web Chat's text, Teams'
 * text, and every Adaptive Card TextBlock. In CommonMark a backslash before an asterisk
 * makes it a literal asterisk; a bare run of asterisks is emphasis.
 */

const WEBCHAT: Destination = { channelId: 'directline', locale: 'zh-CN', linkHosts: [] };
const TEAMS_GROUP: Destination = { channelId: 'msteams', conversationType: 'groupChat', locale: 'zh-CN', linkHosts: [] };

/** What a CommonMark reader shows for escaped asterisks; undefined where a bare `*` is left to read as emphasis. */
function shownLiterally(markdown: string): string | undefined {
  return /(?<!\\)\*/.test(markdown) ? undefined : markdown.replace(/\\\*/g, '*');
}

function cardOf(activity: Partial<{ attachments: unknown }>) {
  return (activity.attachments as { content: { body: Record<string, unknown>[]; actions: { title: string; data: { text: string } }[] } }[])[0]?.content;
}

const masked = {
  'two phone numbers': flowMessages('zh-CN').pcConfirm('13800000008', '13900000000'),
  'an ID number and a code': maskText('身份证 11010519491231002X，验证码 123456，手机 138 0000 0002'),
  'English, two numbers': flowMessages('en-US').pcConfirm('13800000008', '13900000000'),
};

test.each(Object.entries(masked))('%s: text, suggested-action and card replies show the masks as written', (_kind, text) => {
  const buttons = [{ title: '确认更换', value: '确认更换' }];
  const plain = toActivity({ text }, WEBCHAT);
  const withSuggestions = toActivity({ text, suggestions: buttons }, WEBCHAT);
  const asCard = cardOf(toActivity({ text, suggestions: buttons, asCard: true }, WEBCHAT));
  const teamsCard = cardOf(toActivity({ text, suggestions: buttons }, TEAMS_GROUP));
  for (const markdown of [plain.text, withSuggestions.text, asCard?.body[0]?.text, teamsCard?.body[0]?.text]) {
    expect(shownLiterally(String(markdown))).toBe(text);
  }
  expect(plain.textFormat).toBe('markdown');
  expect(asCard?.body[0]?.type).toBe('TextBlock');
});

test('the confirmation card: TextBlock text escapes the masks; button titles and values are plain and unchanged', () => {
  const reply: Reply = { text: flowMessages('zh-CN').pcConfirm('13800000008', '13900000000'), suggestions: [{ title: '确认更换', value: '确认更换' }, { title: '取消', value: '取消' }], asCard: true };
  const card = cardOf(toActivity(reply, { channelId: 'msteams', conversationType: 'personal', locale: 'zh-CN', linkHosts: [] }));
  expect(card?.body[0]).toEqual({ type: 'TextBlock', wrap: true, text: '请确认：将账户绑定的手机号从 138\\*\\*\\*\\*0008 更换为 139\\*\\*\\*\\*0000。' });
  expect(card?.actions).toEqual([
    { type: 'Action.Submit', title: '确认更换', data: { text: '确认更换' } },
    { type: 'Action.Submit', title: '取消', data: { text: '取消' } },
  ]);
});

test('Markdown the bot means (a bold case id, a list) is left as Markdown', () => {
  const text = '申诉已提交，案件号 **AP-20261122-7K3Q**。\n\n- 重新绑定银行卡';
  expect(toActivity({ text }, WEBCHAT).text).toBe(text);
});

test('words a person typed (plain) stay plain in every form: text format plain, or a card TextRun that is never Markdown', () => {
  const typed = '小王：请核对 **138****0008** 和 _备注_';
  const suggestions = [{ title: '取消排队', value: '取消排队' }];
  expect(toActivity({ text: typed, plain: true }, WEBCHAT)).toEqual(expect.objectContaining({ text: typed, textFormat: 'plain' }));
  expect(toActivity({ text: typed, plain: true, suggestions }, WEBCHAT)).toEqual(expect.objectContaining({ text: typed, textFormat: 'plain' }));
  const card = cardOf(toActivity({ text: typed, plain: true, suggestions }, TEAMS_GROUP));
  expect(card?.body[0]).toEqual({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: typed }] });
});

describe('answer text in Teams is inert', () => {
  const hosts = ['help.kefu.example'];
  const hostile = '年费<img src=x onerror=alert(1)>可退，点[这里](javascript:alert(2))或[旧帮助](http://evil.example/x)，![截图](https://tracker.evil.example/p.png)<script>alert(3)</script>，详见[帮助中心](https://help.kefu.example/fee)。';
  const shown = '年费&lt;img src=x onerror=alert(1)>可退，点这里或旧帮助，截图&lt;script>alert(3)&lt;/script>，详见[帮助中心](https://help.kefu.example/fee)。';

  test.each([
    ['personal chat (text)', { channelId: 'msteams', conversationType: 'personal', locale: 'zh-CN', linkHosts: hosts }],
    ['group chat (Adaptive Card)', { channelId: 'msteams', conversationType: 'groupChat', locale: 'zh-CN', linkHosts: hosts }],
  ] as [string, Destination][])('%s: markup as text, images and other links as their words, the allowed link kept', (_where, to) => {
    const activity = toActivity({ text: hostile, suggestions: [{ title: '👍 有帮助', value: '有帮助' }] }, to);
    const markdown = activity.text ?? String(cardOf(activity)?.body[0]?.text);
    expect(markdown).toBe(shown);
  });
});
