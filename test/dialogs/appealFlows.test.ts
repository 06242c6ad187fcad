import { sizeLabel } from '../../dialogs/flows/flowMessages';
import { buttons, FILE_RULES, flowChat, text } from '../support/conversation';

/** Appeal and appeal status through the turn runner, against the demo directory and outbox. */


async function verifiedAppeal(phone: string) {
  const s = flowChat();
  await s.chat.say('我要申诉');
  await s.chat.say(phone);
  const guidance = await s.chat.say(s.codeFor(phone));
  return { ...s, guidance };
}

const file = (name: string, contentType: string) => ({ name, contentType, contentUrl: `https://files.example/${name}` });

describe('appeal flow', () => {
  test('13800000005 (identity_failed): ID guidance, explanation, a photo, case id and answer date', async () => {
    const s = await verifiedAppeal('13800000005');
    expect(text(s.guidance)).toContain('身份证件');
    expect(text(s.guidance)).toContain('10 到 1000 字');
    expect(text(await s.chat.say('我没做错'))).toContain('至少写 10 个字');
    const files = await s.chat.say('上个月实名认证时照片不清楚，现在补充清晰的身份证照片，请重新审核。');
    expect(buttons(files)).toEqual(['完成', '跳过']);
    const withFile = await s.chat.submitFiles([file('id-front.jpg', 'image/jpeg')]);
    expect(text(withFile)).toContain('已收到 1 个文件');
    const filed = await s.chat.say('完成');
    const caseId = /AP-20261123-[0-9A-Z]{4}/.exec(text(filed))?.[0];
    expect(caseId).toBeDefined();
    // Monday 23 Nov + 3 business days.
    expect(text(filed)).toContain('2026-11-26 前');
    const account = (await s.directory.findByPhone('13800000005'))!;
    const [stored] = await s.directory.casesOf(account.id);
    expect(stored).toEqual(expect.objectContaining({ id: caseId, attachments: [expect.objectContaining({ name: 'id-front.jpg' })] }));
  });

  test.each(['申诉要多久', '申诉一般多久能有结果啊'])('a short question at the explanation ("%s") is answered, then the explanation asked for again (not "too short")', async (question) => {
    const s = await verifiedAppeal('13800000005');
    const digression = await s.chat.say(question);
    expect(digression.replies).toHaveLength(2);
    expect(digression.replies[0]?.text).not.toContain('至少写 10 个字');
    expect(digression.replies[1]?.text).toBe('请用一段话说明情况（10 到 1000 字），比如发生了什么、为什么认为关闭有误。');
    // The answer was not taken as the explanation: the next message is.
    expect(buttons(await s.chat.say('上个月实名认证时照片不清楚，现在补充清晰的身份证照片，请重新审核。'))).toEqual(['完成', '跳过']);
  });

  test('at the code step, "我想直接跟你们工作人员说" asks whether to leave the appeal for a person; the code is not called invalid', async () => {
    const s = flowChat();
    await s.chat.say('我要申诉');
    await s.chat.say('13800000006');
    const asked = await s.chat.say('我想直接跟你们工作人员说');
    expect(text(asked)).toBe('要先退出「账户申诉」，为您转接人工客服吗？');
    expect(buttons(asked)).toEqual(['是的', '不是']);
  });

  test('security and violation closures get their own guidance', async () => {
    expect(text((await verifiedAppeal('13800000006')).guidance)).toContain('双重验证');
    expect(text((await verifiedAppeal('13800000007')).guidance)).toContain('永久关闭');
  });

  test('files: only images or PDF, at most three; skip files altogether', async () => {
    const s = await verifiedAppeal('13800000006');
    // The limit the bot states is the configured upload limit (DIRECTLINE_MAX_UPLOAD_BYTES, 4 MiB by default).
    const asked = text(await s.chat.say('账户被盗后我已经改了密码，请帮我恢复账户，谢谢。'));
    expect(asked).toContain(`不超过 ${sizeLabel(FILE_RULES.maxUploadBytes)}`);
    expect(asked).toContain('4 MB');
    const refused = text(await s.chat.submitFiles([file('notes.exe', 'application/x-msdownload')]));
    expect(refused).toContain('只能上传图片或 PDF');
    expect(refused).toContain('4 MB');
    await s.chat.submitFiles([file('a.pdf', 'application/pdf'), file('b.png', 'image/png')]);
    expect(text(await s.chat.submitFiles([file('c.png', 'image/png'), file('d.png', 'image/png')]))).toContain('最多上传 3 个');
    expect(text(await s.chat.say('跳过'))).toMatch(/案件号 \*\*AP-/);
  });

  test('not closed: nothing to appeal', async () => {
    expect(text((await verifiedAppeal('13800000001')).guidance)).toContain('没有被关闭');
  });
});

describe('appeal status flow', () => {
  test('by case id, and by number after the code', async () => {
    const s = await verifiedAppeal('13800000005');
    await s.chat.say('身份证照片已经更新，请重新审核我的账户，谢谢。');
    const filed = text(await s.chat.say('跳过'));
    const caseId = /AP-\d{8}-[0-9A-Z]{4}/.exec(filed)?.[0] ?? '';

    await s.chat.say('查询申诉进度');
    const byId = await s.chat.say(`我的案件号是 ${caseId.toLowerCase()}`);
    expect(text(byId)).toContain(`案件 ${caseId}：**已受理**`);
    expect(text(byId)).toContain('申诉已受理');
    expect(text(byId)).not.toContain('身份证照片已经更新');

    await s.chat.say('我的申诉处理到哪了');
    await s.chat.say('13800000005');
    s.clock.ms += 61_000;
    const byPhone = await s.chat.say(s.codeFor('13800000005'));
    expect(text(byPhone)).toContain(caseId);
  });

  test('an unknown case id asks again', async () => {
    const s = flowChat();
    await s.chat.say('查一下申诉进度');
    expect(text(await s.chat.say('AP-20260101-ZZZZ'))).toContain('没有找到这个案件号');
  });
});

describe('appeal status flow opened with what it needs', () => {
  test('a number in the opening message is verified straight away, as if typed at the prompt', async () => {
    const s = await verifiedAppeal('13800000005');
    await s.chat.say('身份证照片已经更新，请重新审核我的账户，谢谢。');
    const caseId = /AP-\d{8}-[0-9A-Z]{4}/.exec(text(await s.chat.say('跳过')))?.[0] ?? '';
    s.clock.ms += 61_000;
    const sent = text(await s.chat.say('查一下 13800000005 的申诉进度'));
    expect(sent).toContain('138****0005');
    expect(sent).not.toContain('请提供申诉案件号');
    expect(text(await s.chat.say(s.codeFor('13800000005')))).toContain(caseId);
  });

  test('a case id in the opening message wins over a number beside it', async () => {
    const s = flowChat();
    const reply = text(await s.chat.say('申诉 AP-20260101-ZZZZ 进度怎么样 我的号码 13800000005'));
    expect(reply).toContain('没有找到这个案件号');
  });
});
