import type { FlowName, Locale } from './schema';
import { englishInChinese, normalize } from './text';

/**
 * Requests to *do* something, told apart from questions *about* it: "帮我解锁" starts the
 * unlock flow, "怎么解锁" is an FAQ question whose answer offers the flow. Pure pattern
 * rules over the normalized text; they run before the FAQ search.
 */
export type Intent = { kind: 'flow'; flow: FlowName } | { kind: 'handoff' };

/** Questions, "A不A" ones included ("要不要钱", "收不收费", "用不用重新绑"). */
const ZH_HOW = /怎么|怎样|如何|影响|啥|会.{0,10}吗$|咋|为什么|为啥|什么|多久|多长|(?<!好)几天|哪里|在哪|哪些|哪几|哪一步|哪个|能不能.{0,6}吗$|是否|会不会|有没有|需要.{0,4}吗$|([要用收能会是可需])不\1|(可信|靠谱|真的|正规|可靠)吗/;
const ZH_ASK_DO = /帮我|给我|替我|我(还是|就|先|只)?(要|想)|我需要|我得|请|(?<![好很太真挺怪])麻烦|申请|办理|办一下|现在就|马上|立即|可以帮|能帮|能不能帮|可不可以帮|开始|^(把|将)|^(发起|提交)(?!了|过)|(我|就)是(要|想)/;
/**
 * Asking for a person in so many words. Frustration with the bot ("机器人听不懂人话"), someone
 * in charge or a call back are conversation acts (knowledge/data/<locale>/acts.yaml,
 * human-indirect): the bot offers a person rather than queueing one unasked.
 */
const ZH_HUMAN =
  /转人工|人工客服|人工服务|人工坐席|(找|要|接|换|转|来)个?人工|转接人工|真人|活人|客服人员|^(人工\s*)+$|^客服$|^找客服$|^联系客服$|(接|转|换|找|叫|喊|来)个?(你们)?(的)?(客服|人)(来|出来|过来|吧|$)|让个?人来|找个?人(帮|来|处理|弄)|(不要|不想|不跟|不和|别让).{0,4}机器|(跟|和|同)(真|活)?人(说话|聊|沟通|对话|讲)/;
/** "for half an hour", "20 minutes": how long the user has waited, not when support works. */
const EN_DURATION = /\b(for )?(half )?(an?|\d+|a few|several) (hours?|minutes?|mins?)\b/g;
const withoutDurations = (text: string) => text.replace(EN_DURATION, ' ');
/** "I don't care why", "whatever the reason": a question word that asks nothing. */
const EN_NOT_ASKING = /\b(dont|do not|don t) care (why|how|what)\b/g;
/** "能不能…给我", "可以帮我…": a request put politely as a question. */
const ZH_POLITE_REQUEST = /(可以|能|能不能|可不可以)(?=.{0,8}(帮|给)我)/g;
/** Asking whether one needs a person ("还是要找客服", "要联系客服吗") is a question, not a request for one; "我还是找人工吧" decides. */
const ZH_ASKS_ABOUT_HUMAN = /还是(要|得)?(找|联系|问)(?!.*吧$)|(要|需要|得|用)(找|联系).{0,4}(客服|人工)(吗|么|呢)|是否.{0,4}(找|联系)|(客服|人工).{0,4}(电话|热线|号码)(是)?(多少|几号|是什么)/;
const ZH_HOURS = /几点|时间|什么时候|什么时侯|上班|下班|营业|在吗$|有没有人|还在吗|周末|节假日|晚上|半夜|凌晨|深夜|夜里|这个点|过年|24小时|24h|7x24|全天|在线|online|\d+点/;
/** The hours words that are about time, not only presence ("在吗"). */
const ZH_TIME = /几点|时间|什么时候|什么时侯|上班|下班|营业|周末|节假日|晚上|半夜|凌晨|深夜|夜里|这个点|过年|24小时|24h|7x24|全天|在线|online|\d+点/;
/** Whether a person is there at all ("有真人在吗", "就没有一个活人在吗") asks for one, not for the hours. */
const ZH_ANYONE_THERE = /(真人|活人).{0,4}(在吗|在不在|吗)$/;
/** "这里有真人在吗", "就没有一个活人在吗": whether someone is there to take over, not what the bot is. */
const ZH_SOMEONE_THERE = /有.{0,4}(真人|活人).{0,2}在/;
export const asksForSomeoneThere = (text: string): boolean => ZH_SOMEONE_THERE.test(normalize(text));

const EN_HOW = /\b(how|why|what|when|where|which|does|do i need|is it|will it|can i|(would|will|does|is) (that|this))\b/;
const EN_ASK_DO = /\b(please|pls|plz|help me|i want|i wanna|i need|need my|i'?d like|i would like|i'?d rather|i would rather|can you|could you|can u|could u|let me|let's|lets|start|do it now|for me|instead)\b|^(change|update|switch|unlock|check|file)\b|\bjust (unlock|change|switch|file|start|check)\b/;
const EN_HUMAN =
  /\b(human|(real|actual|live) (person|people|humans?)|someone real|somebody real|live (agent|chat)|agent|representative|operator|(talk|speak|chat) (to|with) (someone|somebody|a person|support|a real)|transfer me|connect me( (to|with))?|get me (a |an )?(person|agent|human|someone)|not (a|the|this) (bot|robot)|stop (the|this) (bot|robot)|no (bot|robot)s?|(dont|do not|no longer|not) (want to )?(chat|talk|speak)(ting|ing)? (to|with) (a |the |this )?(machine|bot|robot))\b/;
const EN_HOURS = /\b(hours?|when|open|available|weekend|holiday|time|late|night|tonight|around|\d{1,2} ?(am|pm))\b/;

interface FlowRule {
  flow: FlowName;
  /** The request itself, with or without a politeness marker. */
  pattern: RegExp;
  /** Whether a request marker (帮我 / I want …) is needed to count as "do it now". */
  needsAsk: boolean;
}

const ZH_FLOWS: FlowRule[] = [
  { flow: 'appeal-status', pattern: /(申诉|复核|案件|工单).{0,60}(进度|进展|结果|状态|处理到|到哪|动静|怎么样了|咋样了|什么情况|有消息|有结果了吗)|查.{0,8}(?<!怎么|如何)(申诉|案件号|工单)|查.{0,6}(之前|上次|已经)(提交|交)的/, needsAsk: false },
  { flow: 'unlock', pattern: /(解锁|解封|解除锁定|解冻|解开).{0,6}(账户|账号|帐号|钱包|一下|$)|把.{0,8}(解锁|解封|解冻|解开)|解(个|下|一下)锁|(锁|冻).{0,10}(帮我|给我|麻烦).{0,2}解(一下|开|掉)?$|(开|打开)(一下|下)?锁|锁.{0,2}(打开|解开)|(帮我|给我|替我)解(开|掉|一下)?$|把.{0,6}锁.{0,2}解(了|开|掉)?$/, needsAsk: true },
  { flow: 'phone-change', pattern: /(换|更换|变更|修改|改|换绑|改绑).{0,6}(手机号|号码|电话|手机|号)|把.{0,10}(手机号|号码|手机).{0,6}(换|改)/, needsAsk: true },
  { flow: 'appeal', pattern: /(申诉|复核|提交申诉|发起申诉)/, needsAsk: true },
];

const EN_FLOWS: FlowRule[] = [
  {
    flow: 'appeal-status',
    pattern:
      /\b(appeal|case)\b.{0,20}\b(status|progress|update|result)\b|\b(status|progress) of my (appeal|case)\b|\bcheck (on )?my (appeal|case)\b|\bwant the status\b|\b(where|wheres|how|hows)\b.{0,25}\b(appeal|case)\b.{0,12}\b(stands?|standing|going|at)\b|\blook up\b.{0,20}\b(appeal|case)\b|\b(news|heard back|hear back)\b.{0,20}\b(appeal|case)\b|\bwhat happened (with|to) (the|my) (appeal|case)\b|\bcheck (on )?the one i (already )?(sent|filed|submitted|made)\b|\b(appeal|case) i (already )?(sent|filed|submitted|made)\b/,
    needsAsk: false,
  },
  { flow: 'unlock', pattern: /\b(unlock|unblock|unfreeze)\b/, needsAsk: true },
  { flow: 'phone-change', pattern: /\b(change|update|switch|replace|move)\b.{0,30}\b(phone|number|mobile)\b|\b(phone|number|mobile) (change|update|switch)\b|\b(phone|number|mobile)\b.{0,12}\b(changed|updated|switched)\b/, needsAsk: true },
  { flow: 'appeal', pattern: /\b(appeal|dispute)\b/, needsAsk: true },
];

/**
 * Someone else asking the user for a code, a password, money or their screen: whatever the
 * message also asks for ("他说帮我解冻"), the user first needs the phishing warning, never a
 * flow that would send them a code. A third party acting on the user AND something only a
 * fraudster asks for must both be there.
 */
const ZH_THIRD_PARTY =
  /自称|冒充|假冒|声称|说是(你们|平台|官方|客服|银行|公安|警察|民警|法院|工作人员|专员)|说他是|说她是|说自己是|(有人|有个人|一个人|对方|陌生人|网站|网页|页面|网址|他|她|他们|警察|公安|民警|银行的人|工作人员|专员|客服|短信|信息|消息|邮件|电话|来电|链接).{0,12}(让我|叫我|要我|问我|跟我要|向我要|找我要|加我|打电话|来电|发来|发了|说能|说可以|能帮|可以帮)/;
const ZH_FRAUD_ASK =
  /验证码|动态码|短信码|密码|口令|cvv|转账|转钱|汇款|打钱|转一笔|转到|保证金|手续费|解封费|好处费|收费|红包|安全账户|共享屏幕|屏幕共享|远程(控制|协助|操作)|会议(软件|app)|(点|打开|点开).{0,4}链接|下载.{0,6}(app|软件)|注销|征信|洗钱|涉嫌|登录/;
const EN_THIRD_PARTY =
  /\b(claim(s|ed|ing)? to be|pretend(s|ed|ing)? to be|(says|said|saying) (he|she|they|hes|shes|theyre) (is|are|was|were)?|from your (team|support|company|bank|platform)|(someone|somebody|a (guy|man|woman|person|caller|lady)|caller|stranger|they|he|she|agent|police|bank)\b.{0,40}\b(asked|asks|asking|wants?|wanted|told me to|tells me to|requested|demand(s|ed)?|says (he|she|they) can|offer(s|ed|ing)? to))\b/;
const EN_FRAUD_ASK = /\b(code|otp|password|pin|passcode|transfer|wire|send (money|funds)|move (my )?(money|funds)|safe account|screen ?shar\w*|share (my )?screen|remote (access|control)|anydesk|teamviewer|link|fee|pay (him|her|them)|deposit|credit (score|record|report)|launder\w*)\b/;

export function isFraudReport(text: string, locale: Locale): boolean {
  const t = normalize(text);
  return locale === 'zh-CN' ? ZH_THIRD_PARTY.test(t) && ZH_FRAUD_ASK.test(t) : EN_THIRD_PARTY.test(t) && EN_FRAUD_ASK.test(t);
}

const ZH_COMPLAINT = /投诉|举报你们|骗子|骗钱|黑心|坑人|坑爹|垃圾|太差|差劲|恶心|气死|烦死|无语|忍无可忍|强烈不满|什么破|破(app|软件|平台|系统)|曝光你们|12315|消协|监管/;
const EN_COMPLAINT = /\b(complain|complaint|scam|scammers?|fraudsters?|rip ?off|ripoff|terrible|awful|worst|pathetic|ridiculous|disgusting|furious|sue you|report you)\b/;

/**
 * Anger or a complaint ("你们就是骗子", "我要投诉"). It does not decide the route by itself:
 * a question that also has an answer ("是不是骗子冒充客服") is answered; otherwise the bot
 * apologises and offers a person.
 */
export function isComplaint(text: string, locale: Locale): boolean {
  const t = normalize(text);
  return (locale === 'zh-CN' ? ZH_COMPLAINT : EN_COMPLAINT).test(t);
}

/**
 * Saying what one does NOT want done ("我不想解锁", "先别帮我申诉", "I don't want to appeal")
 * or that one is only asking ("就问问", "just asking") makes the message a question: the
 * negated request must not start its flow, whatever else the message says.
 */
const ZH_NEGATION = /不想|(?<!要)不要|先不|先别|别帮|别给|(?<!已经|早就|早已)不用|暂时不|暂不|没打算|不打算|不是要|不是想|不是问|没问|并不想|还没想|^不(解锁|解封|解冻|解|换号|换|改|申诉|查|办|弄)了|^(别|不用|不要)(给我|跟我)?(讲|说|解释)/;
const ZH_JUST_ASKING = /问问|问一下|问下|想问|打听|了解一下|咨询一下|只是想知道|就想知道|想知道|(我|想|先)自己(来|试|弄|操作|搞)/;
/** "申请" as a noun (the request someone filed: "换号申请没通过") is no request to act. */
const ZH_FILED_REQUEST = /申请(?=.{0,3}(没|被|失败|结果|驳回|不通过|为什么|为啥|怎么|一直|还))/g;
const EN_NEGATION = /\bnot asking\b|\b(don'?t|do not|not|no need to|never) (want|wanna|need|trying|going|planning|looking|asking you)?\s?(to )?(unlock(ing)?|appeal(ing)?|chang(e|ing)|fil(e|ing)|start(ing)?|switch(ing)?)\b|\bnot (now|yet)\b/;
const EN_JUST_ASKING = /\bjust (asking|want(ed)? to know|wondering|curious|checking)\b|\bonly (want|wanted) to know\b|\bwondering\b|\b(i )?(want|wanted|would like|d like) to (know|find out) (if|whether|how|what|why|when)\b/;

/** "不要转人工", "no agent please": declining a person is not asking for one. */
const ZH_NO_HUMAN = /(不要|不用|别|不想|不需要|无需|先不)(转|找|接)?(人工|客服|真人|人)|不(转|找|接)(人工|客服|真人|人)/;
const EN_NO_HUMAN = /\b(no|don'?t|do not|dont) (need |want )?(an? |any )?(agent|human|person|operator)\b|\bno need for (an? |any )?(agent|human|person|operator)\b/;

/** "我再自己试试", "I'll do it myself in the app": taking it on oneself declines what the bot offered. */
const ZH_MYSELF = /自己(来|试|弄|操作|搞|处理|去)/;
const EN_MYSELF = /\b(myself|on my own|i'?ll (do|handle|sort|figure) it)\b/;

/** A clause that declines ("先不用转人工", "暂时不申诉", "not now", "I'll do it myself"). */
export function declines(clause: string, locale: Locale): boolean {
  const t = normalize(clause);
  return locale === 'zh-CN' ? ZH_NEGATION.test(t) || ZH_NO_HUMAN.test(t) || ZH_MYSELF.test(t) : EN_NEGATION.test(t) || EN_NO_HUMAN.test(t) || EN_MYSELF.test(t);
}

/** A message cut at punctuation, at "but", and at spaces between Chinese phrases ("换了号 收不到验证码"). */
export function clausesOf(text: string): string[] {
  return text.split(/[，,。.!！?？;；、\n]+|\s+(?=but\b)|(?<=[\p{Script=Han}])\s+(?=[\p{Script=Han}])/u).filter((c) => c.trim());
}

/**
 * The part of a message that asks: clauses that decline something ("我不想解锁", "先别帮我申诉",
 * "I don't want to appeal") are dropped, so they neither start a flow nor dilute the search.
 * The whole text when every clause declines (there is nothing else to go on).
 */
export function askingPart(text: string, locale: Locale): string {
  const negation = locale === 'zh-CN' ? ZH_NEGATION : EN_NEGATION;
  const clauses = clausesOf(text);
  const kept = clauses.filter((clause) => !negation.test(normalize(clause)));
  return kept.length > 0 && kept.length < clauses.length ? kept.join(' ') : text;
}

/** A question in the message ("好吧 我账户被关了 为什么啊", "thanks, but how long…", "要钱吗"), whatever else it says. */
const ASKS = /[?？]|吗|么|呢|什么|啥|怎么|咋|多久|多少|几|哪|\b(how|what|why|when|where|which|can|could|do|does|is|are|will)\b/iu;

export const asksSomething = (text: string): boolean => ASKS.test(text);

/** A clause that tells what was done before ("昨天客服帮我把账户解锁了", "之前已经申请过换号了"): no request. */
const ZH_REPORTED = /(昨天|前天|之前|上次|刚才|刚刚|已经|上周|上个月).*(了|过)$/;

function withoutReports(text: string): string {
  const clauses = clausesOf(text);
  const requests = clauses.filter((clause) => !ZH_REPORTED.test(normalize(clause)));
  return requests.length === clauses.length ? text : requests.join(' ');
}

/** "申诉要多久", "how long do these take": a question about duration, answered by the FAQ, not a status check. */
export function asksHowLong(text: string, locale: Locale): boolean {
  const t = normalize(text);
  return locale === 'zh-CN' ? /多久|多长时间|几天|一般/.test(t) : /\b(how long|how many days|how soon|how many weeks)\b/.test(t);
}

/** "申诉结果在哪看", "where can I check my appeal": where to look it up, answered by the FAQ that offers the check. */
function asksWhereToLook(t: string, locale: Locale): boolean {
  return locale === 'zh-CN' ? /在哪|哪里|哪儿|去哪/.test(t) : /\bwhere (can|do|should|would) i\b/.test(t);
}

export function detectIntent(text: string, locale: Locale): Intent | undefined {
  const whole = normalize(text);
  if (!whole) return undefined;
  // Flows are read from what the message asks; what it declines ("不要转人工") is left out.
  const zh = locale === 'zh-CN';
  const t = zh ? englishInChinese(normalize(askingPart(text, locale))) : normalize(askingPart(text, locale));
  // What the message asks to be done now, without what it tells was done before.
  const request = zh ? englishInChinese(normalize(withoutReports(askingPart(text, locale)))) : t;
  const [how, askDo, human, hours, flows] = zh
    ? [ZH_HOW, ZH_ASK_DO, ZH_HUMAN, ZH_HOURS, ZH_FLOWS]
    : [EN_HOW, EN_ASK_DO, EN_HUMAN, EN_HOURS, EN_FLOWS];

  // "人工客服几点上班" asks about support hours; it is not a request for a person.
  const declinesHuman = zh ? ZH_NO_HUMAN.test(whole) || ZH_ASKS_ABOUT_HUMAN.test(whole) : EN_NO_HUMAN.test(whole);
  // English typed inside Chinese asks in Chinese terms: "想找个real person聊", "can i talk to 人工".
  const asked = zh ? englishInChinese(whole).replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '') : whole;
  if (human.test(asked) && (!hours.test(withoutDurations(whole)) || (zh && ZH_ANYONE_THERE.test(whole) && !ZH_TIME.test(whole))) && !declinesHuman) return { kind: 'handoff' };

  const asks = askDo.test(zh ? t.replace(ZH_FILED_REQUEST, '') : t);
  const declines = zh ? ZH_NEGATION.test(t) || ZH_JUST_ASKING.test(t) : EN_NEGATION.test(t) || EN_JUST_ASKING.test(t);
  // "能不能直接给我解锁" asks the bot to do it in the shape of a question; "能不能给我讲讲怎么解锁" still asks how.
  // "I dont care why it was locked, just do it" asks nothing: what one does not care about is no question.
  const isQuestion = declines || (zh ? how.test(t.replace(ZH_POLITE_REQUEST, '')) : how.test(t.replace(EN_NOT_ASKING, '')) && !/\b(can|could) you\b/.test(t));
  for (const rule of flows) {
    if (!rule.pattern.test(rule.needsAsk ? request : t)) continue;
    if (!rule.needsAsk) {
      // "申诉要多久" is about duration (FAQ); "申诉进度怎么样了" is a status check.
      if (asksHowLong(t, locale) || asksWhereToLook(t, locale)) continue;
      return { kind: 'flow', flow: rule.flow };
    }
    if (asks && !isQuestion) return { kind: 'flow', flow: rule.flow };
  }
  return undefined;
}

/**
 * "你帮我弄下吧", "那现在帮我提交", "can you just do it for me": asking the bot to do what the
 * subject at hand is — the flow named by the entry the message lands on, or by the last answer.
 * The verb says "do", not which flow: the entry (or topic) says that. A question ("帮我看看为什么
 * 被锁") is no such request.
 */
const ZH_DO_IT = /(帮我|给我|替我|帮忙|你帮|麻烦你?|那你|现在就?|直接)(给我|帮我)?(把.{0,10}?)?(弄|办|处理|搞|操作|解决|提交|整|申请|发起|走流程|改|换|更新|修改|查)/;
const EN_DO_IT = /\b(do|handle|sort|fix|process|submit|file|start|change|update|unlock)( it| that| this)?( for me| now| right now)\b|\b(can|could|would) (you|u) (just )?(do|handle|sort|fix|start|submit) (it|that|this)\b|\bgo ahead and\b/;

export function asksToDoIt(text: string, locale: Locale): boolean {
  // The request closes the message ("账号锁了 你帮我处理一下"); one told in a story ("对方说要帮我处理
  // 我不太确定…") is someone else's words.
  const zh = locale === 'zh-CN';
  const last = normalize(clausesOf(askingPart(text, locale)).at(-1) ?? '');
  const t = zh ? englishInChinese(last) : last;
  if (isFraudReport(text, locale)) return false;
  if (zh ? ZH_NEGATION.test(t) || ZH_JUST_ASKING.test(t) : EN_NEGATION.test(t) || EN_JUST_ASKING.test(t)) return false;
  if (zh ? /为什么|为啥|怎么回事|什么原因|多久|多少|要不要|能不能.{0,8}吗|吗$|么$/.test(t) : /\b(why|how long|how much|what)\b/.test(t)) return false;
  return (zh ? ZH_DO_IT : EN_DO_IT).test(t);
}
