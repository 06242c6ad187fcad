import { detectIntent, isFraudReport } from '../../knowledge/intents';

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
    ['发起申诉', { kind: 'flow', flow: 'appeal' }],
    ['能不能在这里直接给我解锁 不想打电话', { kind: 'flow', flow: 'unlock' }],
    ['不想跟机器聊了', { kind: 'handoff' }],
    ['想找个real person聊', { kind: 'handoff' }],
    ['麻烦给我把账户的锁打开', { kind: 'flow', flow: 'unlock' }],
    ['你能替我开一下锁吗', { kind: 'flow', flow: 'unlock' }],
    ['别给我讲怎么解锁了 直接帮我解', { kind: 'flow', flow: 'unlock' }],
    ['我的账号被锁好几天了，自己弄了半天也没弄好。你们能不能直接帮我解开', { kind: 'flow', flow: 'unlock' }],
    ['还是找个人帮我弄吧', { kind: 'handoff' }],
    ['我不是问怎么解锁 你直接帮我解', { kind: 'flow', flow: 'unlock' }],
    ['麻烦直接给我把锁解了', { kind: 'flow', flow: 'unlock' }],
    ['不是要重新申诉 我想查之前提交的那个', { kind: 'flow', flow: 'appeal-status' }],
    ['can i talk to 人工', { kind: 'handoff' }],
    ['直接给我解开吧 别讲步骤了', { kind: 'flow', flow: 'unlock' }],
    ['我想查下之前提交的申诉', { kind: 'flow', flow: 'appeal-status' }],
    ['不解锁了 我账户其实是被关了 帮我提个申诉', { kind: 'flow', flow: 'appeal' }],
    ['我不是要查进度，我是要提交一个新的申诉', { kind: 'flow', flow: 'appeal' }],
    ['我还是想先申诉', { kind: 'flow', flow: 'appeal' }],
    ['上个月25号提交的申诉 当时说三个工作日内回复 现在都过了一周了还没动静 麻烦帮我查一下现在审核到哪一步了', { kind: 'flow', flow: 'appeal-status' }],
  ])('zh-CN %s → %j', (text, intent) => {
    expect(detectIntent(text, 'zh-CN')).toEqual(intent);
  });

  test.each([
    '怎么解锁账户',
    '换手机号怎么操作',
    '申诉要多久',
    '人工客服几点上班',
    '账户被锁了',
    '怎么申诉',
    '改手机号需要哪几步 我先看看麻不麻烦',
    '解锁账户需要哪些步骤 我想自己试试',
    '昨天客服帮我把账户解锁了 今天一打开还是提示操作失败',
    '提交了更换手机号，结果显示被驳回',
    '能不能给我讲讲怎么解锁',
    '我老婆说换手机号会影响征信，下个月我们还要申请房贷，所以有点担心。换号真的会影响信用记录吗',
    '查一下怎么申诉',
    '晚上十一点还有真人在线吗',
    '人工客服是24小时online吗',
    '申诉结果在哪看',
  ])('zh-CN %s is a question, not a request', (text) => {
    expect(detectIntent(text, 'zh-CN')).toBeUndefined();
  });

  test.each([
    ['please unlock my account', { kind: 'flow', flow: 'unlock' }],
    ['i want to change my phone number', { kind: 'flow', flow: 'phone-change' }],
    ['check my appeal status', { kind: 'flow', flow: 'appeal-status' }],
    ['not filing a new one, i want to know what happened with the appeal I already sent', { kind: 'flow', flow: 'appeal-status' }],
    ['skip the instructions, just start the number change for me', { kind: 'flow', flow: 'phone-change' }],
    ["i need you to unlock my wallet right now, i have a payment due today and I dont care why it was locked, just do it", { kind: 'flow', flow: 'unlock' }],
    ['i dont want to chat with a machine anymore', { kind: 'handoff' }],
    ['are there any real people here', { kind: 'handoff' }],
    ['no bot please, a person', { kind: 'handoff' }],
    ["where's my appeal at", { kind: 'flow', flow: 'appeal-status' }],
    ["I've been going back and forth with this bot for half an hour. None of it helps. Just put me through to an agent.", { kind: 'handoff' }],
    ["don't file a new appeal, i just want to check the one i already sent", { kind: 'flow', flow: 'appeal-status' }],
    ['talk to a human', { kind: 'handoff' }],
    ["I'd like to speak with an actual person", { kind: 'handoff' }],
  ])('en-US %s → %j', (text, intent) => {
    expect(detectIntent(text, 'en-US')).toEqual(intent);
  });

  test.each(["I'm about to switch carriers and get a new number. Before I do that I want to know if there's any charge for updating it in the wallet.", 'how do i unlock my account', 'why was my appeal rejected how long does an appeal take', 'when are agents available', 'where can I check my appeal', "I'm applying for a mortgage. I'd like to move the wallet to the new number. Would that mess with my credit?"])('en-US %s is a question', (text) => {
    expect(detectIntent(text, 'en-US')).toBeUndefined();
  });
});

describe('someone else after the account', () => {
  test.each([
    ['zh-CN', '有个网站长得跟你们一模一样 让我登录'],
    ['zh-CN', '自称客服的打电话说我要注销账户 不然影响征信'],
    ['en-US', 'a guy claiming to be from your team says my credit score will drop unless I verify'],
  ] as const)('%s %s is a fraud report', (locale, text) => {
    expect(isFraudReport(text, locale)).toBe(true);
  });

  test.each([
    ['zh-CN', '登录的时候提示密码错误'],
    ['zh-CN', '换号会影响征信吗'],
  ] as const)('%s %s is not', (locale, text) => {
    expect(isFraudReport(text, locale)).toBe(false);
  });
});
