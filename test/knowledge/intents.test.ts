import { detectIntent } from '../../knowledge/intents';

describe('requests to do something vs questions about it', () => {
  test.each([
    ['帮我解锁', { kind: 'flow', flow: 'unlock' }],
    ['我要换手机号', { kind: 'flow', flow: 'phone-change' }],
    ['我要申诉', { kind: 'flow', flow: 'appeal' }],
    ['查一下申诉进度', { kind: 'flow', flow: 'appeal-status' }],
    ['我的申诉处理到哪了', { kind: 'flow', flow: 'appeal-status' }],
    ['能帮我把账户解锁吗', { kind: 'flow', flow: 'unlock' }],
    ['转人工', { kind: 'handoff' }],
    ['人工客服', { kind: 'handoff' }],
    ['我要找真人', { kind: 'handoff' }],
  ])('zh-CN %s → %j', (text, intent) => {
    expect(detectIntent(text, 'zh-CN')).toEqual(intent);
  });

  test.each(['怎么解锁账户', '换手机号怎么操作', '申诉要多久', '人工客服几点上班', '账户被锁了', '怎么申诉'])('zh-CN %s is a question, not a request', (text) => {
    expect(detectIntent(text, 'zh-CN')).toBeUndefined();
  });

  test.each([
    ['please unlock my account', { kind: 'flow', flow: 'unlock' }],
    ['i want to change my phone number', { kind: 'flow', flow: 'phone-change' }],
    ['check my appeal status', { kind: 'flow', flow: 'appeal-status' }],
    ['talk to a human', { kind: 'handoff' }],
  ])('en-US %s → %j', (text, intent) => {
    expect(detectIntent(text, 'en-US')).toEqual(intent);
  });

  test.each(['how do i unlock my account', 'why was my appeal rejected how long does an appeal take', 'when are agents available'])('en-US %s is a question', (text) => {
    expect(detectIntent(text, 'en-US')).toBeUndefined();
  });
});
