import { learnOthersNames } from '../../knowledge/others';
import type { KbEntry } from '../../knowledge/schema';
import { realKnowledge } from '../support/knowledge';

const entry = (fields: Partial<KbEntry> & Pick<KbEntry, 'id' | 'question'>): KbEntry => ({ kind: 'faq', locale: 'zh-CN', alternates: ['x'], tags: [], ...fields });

describe('names of others\' products', () => {
  const others = learnOthersNames([
    entry({ id: 'others', kind: 'out-of-scope', question: '别家的账号', names: ['微信', 'Apple ID', '12306', 'Cash App'] }),
    entry({ id: 'other-bindings', question: '换号后支付宝微信要改吗', answer: '要改' }),
    entry({ id: 'phone-change-how', question: '怎么换绑手机号', answer: '这样换' }),
  ]);

  test.each([
    ['微信怎么换绑手机号', ['微信']],
    ['iPhone的Apple ID密码忘了', ['apple id']],
    ['my apple id忘了', ['apple id']],
    ['12306买票验证码收不到', ['12306']],
    ["Is Cash App's login down?", ['cash app']],
    ['app里怎么改手机号', []],
    ['pineapple identity', []],
  ] as const)('"%s" names %j', (text, names) => {
    expect(others.namedIn(text)).toEqual(names);
  });

  test('an entry that mentions the name itself is no one else\'s', () => {
    expect(others.unexplained(['微信'], 'other-bindings', 'zh-CN')).toEqual([]);
    expect(others.unexplained(['微信'], 'phone-change-how', 'zh-CN')).toEqual(['微信']);
  });
});

/**
 * Our words about someone else's product ("微信怎么换绑手机号") once got our answer, or started our
 * flow; a message that only mentions another product beside our subject still gets ours.
 */
test.each([
  ['微信怎么换绑手机号', 'fallback'],
  ['淘宝换绑手机号怎么操作', 'fallback'],
  ['12306买票验证码收不到', 'fallback'],
  ['iPhone的Apple ID密码忘了怎么办', 'fallback'],
  ['帮我解锁微信', 'fallback'],
  ['My Apple ID is locked, can you unlock it?', 'fallback'],
  ['Is Cash App down right now?', 'fallback'],
  ['换手机号后支付宝微信要改吗', 'phone-change-other-bindings'],
  ['有人加我微信说是客服', 'phishing-warning'],
  ['我朋友在别的平台改手机号被收了钱，你们这边改手机号收费吗', 'phone-change-fee'],
] as const)('"%s" → %s', (text, expected) => {
  const route = realKnowledge().router.route(text);
  expect(route.decision === 'answer' ? route.entryId : route.decision === 'flow' ? `flow:${route.flow}` : route.decision).toBe(expected);
});
