import { PNG } from 'pngjs';
import { kefuAndBrowser, WidgetPage } from '../support/browser';
import { contrastRatio, paintedColours } from '../support/contrast';
import { latestCode } from '../support/kefuServer';
import { keepForReadme } from '../support/readmeScreenshots';

/**
 * The web chat widget as a user sees it: Bot Framework Web Chat in Chromium, talking to the
 * embedded Direct Line of a running Kefu. Screenshots go to test-artifacts/webchat/.
 */
jest.setTimeout(90_000);

const bot = kefuAndBrowser();

test('welcome, FAQ answer, "您是想问" choice, 👍, reload resumes, English in English', async () => {
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat');
  try {
    await widget.waitForBot('您好');
    expect(await widget.suggestions()).toContain('验证码收不到怎么办');
    await widget.screenshot('welcome');

    // "手机号" first: after an answer about phone numbers it would be read as a follow-up to it.
    let before = await widget.say('手机号');
    await widget.waitForBot('您是想问', before);
    const options = await widget.suggestions();
    expect(options).toContain('都不是');
    keepForReadme(await widget.screenshot('clarify'), 'widget');
    const chosen = options.find((o) => o !== '都不是' && o.includes('绑定'))!;
    before = await widget.click(chosen);
    await widget.waitForBot('绑定', before);
    expect(await widget.suggestions()).toContain('👍 有帮助');

    before = await widget.click('👍 有帮助');
    await widget.waitForBot('感谢', before);
    await widget.screenshot('feedback');

    before = await widget.say('换了手机号银行卡要重新绑吗');
    await widget.waitForBot('银行卡', before);
    await widget.screenshot('faq-answer');

    const seen = await widget.botTexts();
    await widget.page.reload();
    // The same conversation comes back, history included, and carries on: its last bubble last.
    await widget.waitForBot('感谢');
    await widget.waitForBot('重新绑定一次银行卡');
    const resumed = await widget.botTexts();
    expect(resumed.length).toBe(seen.length);
    await widget.screenshot('reloaded');

    before = await widget.say('how do i reset my password');
    await widget.waitForBot('password', before);
    const english = (await widget.botTexts()).at(-1) ?? '';
    expect(english).not.toMatch(/[\u4e00-\u9fff]{4}/);
    expect(await widget.suggestions()).toContain('👍 Helpful');
    await widget.screenshot('english');
  } finally {
    await widget.close();
  }
});

test('two users never see each other’s conversation', async () => {
  const alice = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-alice');
  const bob = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-bob');
  try {
    await alice.waitForBot('您好');
    await bob.waitForBot('您好');
    const before = await alice.say('忘记密码怎么办');
    await alice.waitForBot('密码', before);
    await bob.page.waitForTimeout(500);
    expect((await bob.botTexts()).join('\n')).not.toContain('忘记密码');
    expect(await bob.page.locator('text=忘记密码怎么办').count()).toBe(0);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a full unlock in the widget, with the code read from the dev outbox', async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-unlock');
  try {
    await widget.waitForBot('您好');
    let before = await widget.say('帮我解锁');
    await widget.waitForBot('手机号', before);
    before = await widget.say('13800000002');
    await widget.waitForBot('138****0002', before);
    expect(await widget.suggestions()).toEqual(expect.arrayContaining(['重新发送', '取消']));
    await widget.screenshot('code-sent');
    before = await widget.say(await latestCode(bot.kefu.url, '13800000002'));
    await widget.waitForBot('账户已解锁', before);
    await widget.screenshot('unlocked');
    const record = (await (await fetch(`${bot.kefu.url}/api/dev/accounts/13800000002`)).json()) as { status: string };
    expect(record.status).toBe('active');
  } finally {
    await widget.close();
  }
});

test('phone change in the widget: the confirmation card is clicked', async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
  const code = (phone: string) => latestCode(bot.kefu.url, phone);
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-phone-change');
  try {
    await widget.waitForBot('您好');
    await widget.exchange([
      ['我要换手机号', '当前绑定的手机号'],
      ['13800000008', '138****0008'],
      [() => code('13800000008'), '新的手机号'],
      ['13900000000', '139****0000'],
    ]);
    const before = await widget.say(await code('13900000000'));
    const confirmButton = widget.page.locator('.ac-adaptiveCard button', { hasText: '确认更换' });
    await confirmButton.waitFor({ timeout: 15000 });
    await widget.screenshot('confirmation-card');
    await confirmButton.click();
    await widget.waitForBot('更换成功', before);
    await widget.screenshot('changed');
    expect((await fetch(`${bot.kefu.url}/api/dev/accounts/13900000000`)).status).toBe(200);
  } finally {
    await widget.close();
  }
});

test('an appeal in the widget with a file attached through Web Chat’s upload button', async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
  const code = (phone: string) => latestCode(bot.kefu.url, phone);
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-appeal');
  try {
    await widget.waitForBot('您好');
    let before = await widget.say('我要申诉');
    await widget.waitForBot('提交申诉', before);
    before = await widget.say('13800000005');
    await widget.waitForBot('138****0005', before);
    before = await widget.say(await code('13800000005'));
    await widget.waitForBot('10 到 1000 字', before);
    before = await widget.say('实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。');
    await widget.waitForBot('图片或 PDF', before);
    before = (await widget.botTexts()).length;
    await widget.page.setInputFiles('input[type="file"]', {
      name: 'id-card.png',
      mimeType: 'image/png',
      buffer: PNG.sync.write(new PNG({ width: 8, height: 8 })),
    });
    // Web Chat stages the file in the send box (the clip turns "checked"); sending it is the user's click.
    await widget.page.locator('.webchat__attachment-icon--checked').waitFor();
    await widget.page.locator('button[title="发送"]').click();
    await widget.waitForBot('已收到 1 个文件', before);
    await widget.screenshot('file-attached');
    before = await widget.say('完成');
    await widget.waitForBot('案件号', before);
    await widget.screenshot('appeal-filed');
    const record = (await (await fetch(`${bot.kefu.url}/api/dev/accounts/13800000005`)).json()) as { cases: { attachments: { name: string; url: string }[] }[] };
    expect(record.cases[0]?.attachments).toEqual([expect.objectContaining({ name: 'id-card.png' })]);
    // The file the bot kept is the file the user sent.
    const stored = await fetch(record.cases[0]?.attachments[0]?.url ?? '');
    expect(stored.status).toBe(200);
  } finally {
    await widget.close();
  }
});

test('an appeal in the widget: a 4.5 MB PDF is answered with the limit the bot stated, a file that fits is named legibly in the user’s bubble', async () => {
  await fetch(`${bot.kefu.url}/api/dev/reset`, { method: 'POST' });
  const widget = await WidgetPage.open(bot.browser, `${bot.kefu.url}/`, 'webchat-upload-limit');
  const userBubbles = widget.page.locator('.webchat__stacked-layout--from-user');
  try {
    await widget.waitForBot('您好');
    let before = await widget.say('我要申诉');
    await widget.waitForBot('提交申诉', before);
    before = await widget.say('13800000005');
    await widget.waitForBot('138****0005', before);
    before = await widget.say(await latestCode(bot.kefu.url, '13800000005'));
    await widget.waitForBot('10 到 1000 字', before);
    before = await widget.say('实名认证时上传的照片不清楚，现在补充清晰的身份证照片，请重新审核。');
    await widget.waitForBot('图片或 PDF', before);
    const prompt = (await widget.botTexts()).at(-1) ?? '';
    // The limit the bot states is the one the Direct Line enforces (DIRECTLINE_MAX_UPLOAD_BYTES, 4 MiB by default).
    const stated = /不超过 ([\d.]+ MB)/.exec(prompt)?.[1];
    expect(stated).toBe('4 MB');

    // A scanned PDF of 4.5 MB: the message goes out, and the bot answers it in the conversation with the limit.
    before = (await widget.botTexts()).length;
    await widget.page.setInputFiles('input[type="file"]', { name: '申诉材料扫描件.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4_500_000)]) });
    await widget.page.locator('.webchat__attachment-icon--checked').waitFor();
    await widget.page.locator('button[title="发送"]').click();
    await widget.waitForBot(`${stated} 的上限`, before);
    const refusal = (await widget.botTexts()).at(-1) ?? '';
    expect(refusal).toMatch(/^[^。]*。$/);
    await userBubbles.filter({ hasText: '申诉材料扫描件.pdf' }).waitFor();
    // No "send failed, retry" for a message that could never be sent.
    expect(await widget.page.getByText('发送失败').count()).toBe(0);
    await widget.screenshot('file-too-large');

    // Still at the file step: a file that fits is taken, and its name in the user's blue bubble can be read.
    before = (await widget.botTexts()).length;
    await widget.page.setInputFiles('input[type="file"]', { name: 'id-card.png', mimeType: 'image/png', buffer: PNG.sync.write(new PNG({ width: 8, height: 8 })) });
    await widget.page.locator('.webchat__attachment-icon--checked').waitFor();
    await widget.page.locator('button[title="发送"]').click();
    await widget.waitForBot('已收到 1 个文件', before);
    const name = userBubbles.locator('.webchat__fileContent__fileName', { hasText: 'id-card.png' });
    await name.waitFor();
    const painted = await paintedColours(name);
    expect(painted.visible).toBe(true);
    expect(contrastRatio(painted.color, painted.background)).toBeGreaterThanOrEqual(4.5);
    await widget.screenshot('file-name-legible');
  } finally {
    await widget.close();
  }
});
