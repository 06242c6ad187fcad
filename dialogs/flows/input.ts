import { typedNumbers } from '../../domain/typedNumbers';
import { normalize, plainText } from '../../knowledge/text';

/**
 * How flows read what the user typed: pure, forgiving about spaces, dashes, full-width
 * digits and invisible characters — read by the same module the masking uses, so every
 * number a flow accepts is masked where text is kept.
 */

/** A mainland mobile number anywhere in the text ("我的号是 138 0000 0002", "+86 138-0000-0002"), or undefined. */
export function readMobile(text: string): string | undefined {
  const mobile = typedNumbers(text).find((n) => n.kind === 'mobile');
  return mobile?.digits;
}

/**
 * What may stand around a typed code without making it something else: "验证码是123456",
 * "code: 123456", "收到了 123456". Anything more ("我的卡号后六位123456") is not a code.
 */
const CODE_LABEL = /^(?:(?:收到了?|好的?|嗯|给)\s*)?(?:(?:我的|the|my)\s*)?(?:验证码|校验码|动态码|短信码|码|code|otp|sms code|verification code)?\s*(?:是|为|is|=)?\s*[:：]?\s*$/iu;

/** Six digits, possibly spaced ("123 456", "１２３４５６") or labelled ("验证码是123456", "code: 123456"). */
export function readCode(text: string): string | undefined {
  const numbers = typedNumbers(text);
  const [code] = numbers;
  if (numbers.length !== 1 || code?.kind !== 'code') return undefined;
  const around = plainText(text).replace(/[0-9０-９]/gu, '').replace(/[-\s]+/gu, ' ').trim();
  return CODE_LABEL.test(around) ? code.digits : undefined;
}

const CANCEL = ['取消', '退出', '不办了', '不弄了', '不换了', '不解了', '不查了', '不申诉了', '算了', '不要了', '结束', '取消办理', 'cancel', 'quit', 'stop', 'exit', 'never mind', 'nevermind'];
/** The stop phrases, longest first, each as a whole word where it is English ("never mind" but not "stopwatch"). */
const CANCEL_PHRASES = [...CANCEL].sort((a, b) => b.length - a.length).map((phrase) => (/^[a-z ]+$/.test(phrase) ? ` ${phrase} ` : phrase));
/** Tone ("取消吧", "算了啦") says nothing more. */
const TRAILING_TONE_ANYWHERE = /[吧啦了啊呀嘛哈]+/gu;
const RESEND = ['重新发送', '重发', '再发一次', '再发一遍', '重新获取', '没收到', '收不到', 'resend', 'send again', 'send it again'];

const LOST_NUMBER = /(旧|原|以前的?|之前的?)(手机)?(号码?|手机号?|卡)?.{0,4}(收不到|停机|停用|注销|销号|丢|没了|不用了|用不了|不在了)|lost (my )?(old )?(phone|number|sim)|old number .{0,12}(gone|cancel|deactivat|lost|no longer)|can'?t (get|receive) .{0,20}old/i;

/** "旧号码收不到", "原号码已经停机了": the user no longer holds the old number. */
export const isLostNumber = (text: string) => LOST_NUMBER.test(plainText(text));

const CONFIRM = ['确认', '确认更换', '确定', '确定更换', '是', '是的', '好', '好的', '对', 'ok', 'yes', 'confirm', 'confirm change'];

export const isConfirm = (text: string) => CONFIRM.includes(normalize(text));

const DONE = ['完成', '好了', '提交', '就这些', '没有了', 'done', 'finish', 'submit'];
const SKIP = ['跳过', '没有', '不用', '无', 'skip', 'none', 'no'];

export const isDone = (text: string) => DONE.includes(normalize(text));
export const isSkip = (text: string) => SKIP.includes(normalize(text));

/** A case id such as AP-20261122-7K3Q, anywhere in the text: read as the router reads it. */
export { readCaseId } from '../../knowledge/caseId';

/** Words that only lead into or soften a stop ("那算了 取消", "never mind, cancel", "我要取消"). */
const CANCEL_PADDING = /^(?:then|please|pls|just|ok|okay|well|actually|oh|no|nah|i|want|to|it|this|that)$/u;
const ZH_CANCEL_PADDING = /那|就|先|我|要|想|请|还是/gu;

/** "取消", "取消吧", "不弄了 取消", "那算了 取消", "never mind, cancel": the message says to stop and nothing else. */
export const isCancel = (text: string) => {
  let rest = ` ${normalize(text)} `;
  let stops = 0;
  for (const phrase of CANCEL_PHRASES) {
    const parts = rest.split(phrase);
    stops += parts.length - 1;
    rest = parts.join(' ');
  }
  const words = rest.replace(TRAILING_TONE_ANYWHERE, ' ').split(' ').filter(Boolean);
  return stops > 0 && words.every((word) => CANCEL_PADDING.test(word) || word.replace(ZH_CANCEL_PADDING, '') === '');
};
export const isResend = (text: string) => RESEND.includes(normalize(text));

/** "继续", "不了 先继续换号", "no, keep going with the number change": stay in the flow running now. */
const CONTINUE = /继续|接着(办|弄|换|来)|(keep|carry|go) (going|on)|\bcontinue\b|\bstay with\b/iu;

export const isContinue = (text: string) => CONTINUE.test(plainText(text));
