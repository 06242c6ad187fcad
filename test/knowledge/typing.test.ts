import { learnTyping } from '../../knowledge/typing';

/** What a pinyin input method makes of a wallet user's message, read back into our words. */
const PHRASINGS = [
  '账户被锁了怎么办',
  '账户被冻结怎么解除',
  '怎么解锁账户',
  '账号为什么被锁',
  '被锁了怎么解冻',
  '验证码收不到',
  '收不到短信验证码怎么办',
  '验证码一直不来',
  '怎么更换手机号',
  '手机号怎么换',
  '换手机号要钱吗',
  '申诉进度怎么查',
  '怎么申诉',
  '申诉要多久',
  '我的号为什么被所了',
  '能换号吗',
  '登录不上怎么办',
];
const WORDS = ['账户', '账号', '帐号', '解锁', '解冻', '冻结', '被锁', '锁了', '验证码', '验证吗', '手机号', '手机好', '申诉', '申述', '客服', '登录', '登陆'];
const typing = learnTyping(PHRASINGS, WORDS);

test.each([
  ['账户结冻了怎么办', '账户解冻了怎么办'],
  ['帐户被东结了', '账户被冻结了'],
  ['账号被所了', '账号被锁了'],
  ['验证吗收不到', '验证码收不到'],
  ['手机好换了', '手机号换了'],
  ['申述进度怎么查', '申诉进度怎么查'],
  ['登陆不上', '登录不上'],
])('a mistyped homophone is read as our word: %s', (typed, meant) => {
  expect(typing.correct(typed)).toBe(meant);
});

test.each(['能换号吗', '你好吗', '收到了吗', '我想问问手机号的事'])('real words and question particles are left alone: %s', (text) => {
  expect(typing.correct(text)).toBe(text);
});

test.each([
  ['jie suo zhang hu', '解锁账户'],
  ['yanzhengma 收不到', '验证码 收不到'],
  ['shou ji hao zen me huan', '手机号怎么换'],
  ['怎么shensu', '怎么申诉'],
])('pinyin is read as the characters it spells: %s', (typed, meant) => {
  expect(typing.correct(typed)).toBe(meant);
});

test.each(['how do I change my phone', 'my code never came', 'app登不上 提示 account locked', '申诉 AP-20261123-7K3Q 的进度', 'asdfgh', 'ok'])(
  'English, codes and noise are never read as pinyin: %s',
  (text) => {
    expect(typing.correct(text)).toBe(text);
  },
);

test('traditional characters come back simplified, as everywhere else', () => {
  expect(typing.correct('帳號被鎖了')).toBe('账号被锁了');
});
