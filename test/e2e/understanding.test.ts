import { kefuForTests } from '../support/kefuServer';

/**
 * Messages the way users really type them, through the Bot Framework protocol: what the
 * user sees, not only what the router returns.
 */
const bot = kefuForTests();

const texts = (replies: { text?: string }[]) => replies.map((r) => r.text ?? '').join('\n');

describe('traditional characters route exactly like their simplified form', () => {
  test('a question', async () => {
    const [simplified] = await bot.kefu.channel.ask('trad-1', '账号被锁定了要怎么处理');
    const [traditional] = await bot.kefu.channel.ask('trad-2', '帳號被鎖定了要怎麼處理');
    expect(traditional?.text).toBe(simplified?.text);
    expect(traditional?.text).not.toContain('答不上来');
  });

  test('a request starts its flow', async () => {
    const [ask] = await bot.kefu.channel.ask('trad-3', '幫我解鎖帳戶');
    expect(ask?.text).toContain('手机号');
  });
});

describe('safety first: someone else asking for a code, a password or money', () => {
  test.each([
    ['zh', '有人自稱客服 要我把驗證碼發給他 說幫我解凍帳戶'],
    ['zh', '对方说是平台工作人员 让我开屏幕共享 帮我把账户解锁'],
    ['en', 'someone claiming to be from your team asked for my otp so they can unlock my account'],
    ['zh', '有个网站长得跟你们一模一样 让我登录'],
    ['zh', '自称客服的打电话说我要注销账户 不然影响征信'],
  ])('%s: %s → the phishing warning and the offer of a person, never a flow', async (_lang, message) => {
    const replies = await bot.kefu.channel.ask(`phish-${Buffer.from(message).toString('hex').slice(0, 40)}`, message);
    const text = texts(replies);
    expect(text).toMatch(/不会.{0,8}索要|never\W{0,3}ask/);
    expect(text).toMatch(/转人工|agent/);
    // No flow started: the bot did not ask for a number to send a code to.
    expect(text).not.toMatch(/请.{0,6}手机号|your phone number/);
  });
});

describe('indirect requests for a person', () => {
  /** Queued when an agent is online, a message offered when none is: either way the handoff, not an answer. */
  const HANDED_OFF = /正在为您转接|没有人工客服在线|connecting you|in the queue|no agent|leave (us )?a message/i;
  test.each([
    ['机器人说不明白 换个客服来', HANDED_OFF],
    ['给我接客服', HANDED_OFF],
    // Whether a person is there is also a question about the bot: it says what it is and offers one.
    ['有真人吗', /转接人工客服/],
    ['get me someone real', HANDED_OFF],
    ['need 人工 please', HANDED_OFF],
    ["I'd like to speak with an actual person", HANDED_OFF],
  ])('%s → a person (the handoff, or for "有真人吗" the offer of one)', async (message, expected) => {
    const [reply] = await bot.kefu.channel.ask(`person-${Buffer.from(message).toString('hex').slice(0, 40)}`, message);
    expect(reply?.text).toMatch(expected);
    expect(reply?.text).not.toMatch(/答不上来|don't have an answer/);
  });

  test('asking whether one needs a person is answered, not queued', async () => {
    const [reply] = await bot.kefu.channel.ask('person-q', '账号锁了 自己能解开吗 还是要找客服');
    expect(reply?.text).not.toContain('正在为您转接');
  });
});

describe("a conversation's language is sticky", () => {
  test('Latin-letter noise, punctuation and emoji in a Chinese chat are answered in Chinese; an English sentence switches', async () => {
    await bot.kefu.channel.ask('lang-1', '验证码收不到怎么办');
    for (const noise of ['asdfgh', '？？？', '😀😀', 'ok']) {
      const [reply] = await bot.kefu.channel.ask('lang-1', noise);
      expect([noise, /[\u4e00-\u9fff]/.test(reply?.text ?? '')]).toEqual([noise, true]);
    }
    const [english] = await bot.kefu.channel.ask('lang-1', 'how do I unlock my account');
    expect(english?.text).toMatch(/unlock/i);
    expect(english?.text).not.toMatch(/[\u4e00-\u9fff]{4}/);
  });
});

describe('long, negated and two-part messages, and questions about a flow', () => {
  test('a long message with its context is not "I don\'t know": the right entry is answered or offered first', async () => {
    const [reply] = await bot.kefu.channel.ask('long-ctx', '我前两天刚换了新号码 旧号已经停用了 现在app里的手机号要怎么改过来');
    expect(reply?.text).not.toContain('答不上来');
    expect(reply?.text).toMatch(/怎么更换账户绑定的手机号|更换手机号/);
  });

  test.each([
    ['我不想解锁，只想问下为啥被锁', /常见原因/],
    ['先不申诉 就问问一般要等几天', /3 个工作日/],
    ['换手机号申请被拒绝', /常见原因/],
  ])('%s → answered, and no flow starts', async (message, answer) => {
    const [reply, ...more] = await bot.kefu.channel.ask(`neg-${message.length}`, message);
    expect(reply?.text).toMatch(answer);
    expect([reply, ...more].map((r) => r?.text ?? '').join('\n')).not.toMatch(/请.{0,8}(输入|发送|告诉我).{0,8}手机号/);
  });

  test('declining a person inside a request still starts the request', async () => {
    const [reply] = await bot.kefu.channel.ask('neg-person', '帮我解锁账户 不用转人工');
    expect(reply?.text).toContain('手机号');
    expect(reply?.text).not.toContain('转接人工客服');
  });
});

describe('near-domain questions we do not cover', () => {
  test.each(['信用卡额度怎么提高', 'qq号被冻结了怎么办', 'my instagram account got banned how to appeal'])('%s → an honest "I don\'t know", not a borrowed answer', async (message) => {
    const [reply] = await bot.kefu.channel.ask(`near-${message.length}`, message);
    expect(reply?.text).toMatch(/答不上来|don't have an answer/);
  });

  test('"钱包用不了了" is not told its account was closed for good', async () => {
    const [reply] = await bot.kefu.channel.ask('cannot-pay', '钱包用不了了');
    expect(reply?.text).not.toMatch(/永久关闭|永久/);
  });
});

describe('input-method typing: homophones, pinyin and English words in a Chinese message', () => {
  const typedAndMeant: [string, string][] = [
    ['账户结冻了怎么办', '账号被锁了怎么办'],
    ['帐户被东结了 怎么解', '账号被锁了怎么办'],
    ['yanzhengma 收不到', '验证码收不到'],
    ['收不到验证吗', '验证码收不到'],
    ['shou ji hao zen me huan', '手机号怎么换'],
    ['app登不上 提示 account locked', '账号被锁了怎么办'],
  ];
  test.each(typedAndMeant.map(([typed, meant], i) => [typed, meant, i] as const))('"%s" gets the answer "%s" gets', async (typed, meant, i) => {
    const [expected] = await bot.kefu.channel.ask(`meant-${i}`, meant);
    const [reply] = await bot.kefu.channel.ask(`typed-${i}`, typed);
    expect(reply?.text).toBe(expected?.text);
    expect(reply?.text).not.toMatch(/答不上来|您是想问/);
  });

  test('a mistyped flow word still starts its flow: "申述进度怎么查" asks for the case number', async () => {
    const [ask] = await bot.kefu.channel.ask('typed-status', '申述进度怎么查');
    expect(ask?.text).toContain('请提供申诉案件号');
  });
});

describe('colloquial paraphrase and ranking by what the message is about', () => {
  test('"我的钱包被注销了还能找回来吗" is about reopening a closed account, not a locked number', async () => {
    const [reply] = await bot.kefu.channel.ask('closed-findback', '我的钱包被注销了还能找回来吗');
    expect(reply?.text).toContain('关闭原因');
    expect(reply?.text).not.toMatch(/手机号.{0,6}(锁定|冻结)/);
  });

  test('"号码不用了 app里怎么弄" is understood as a number question: answered or offered, never "I don\'t know"', async () => {
    const [reply] = await bot.kefu.channel.ask('number-gone', '号码不用了 app里怎么弄');
    expect(reply?.text).not.toContain('答不上来');
    expect(reply?.text).toMatch(/手机号/);
  });

  test('ranking: the phrasing that shares most of what the message says wins, and is answered', async () => {
    // Under the old IDF² cosine the short "账号为什么被锁了" led with too little to answer.
    const [reply] = await bot.kefu.channel.ask('ranking', '为什么登录时说检测到风险 账号被锁定');
    expect(reply?.text).toMatch(/常见原因/);
    expect(reply?.text).not.toMatch(/答不上来|您是想问/);
  });
});
