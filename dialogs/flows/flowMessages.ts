import type { Locale } from '../../knowledge/schema';
import { maskPhone } from '../../domain/mask';

/** What the guided flows say, in both languages. Numbers are always shown masked. */
export interface FlowMessages {
  askPhone: string;
  /** The number asked for again (after a question or a declined offer of a person), without the opening words. */
  askPhoneAgain: string;
  badPhone: string;
  /** A code to a number that may or may not have an account: the same words for every number. */
  codeSent(phone: string): string;
  /** A code to the number an account is moving to: it proves the user holds that number. */
  codeSentToNew(phone: string): string;
  /** The code asked for again, after a question or a declined offer of a person. */
  askCode(phone: string): string;
  badCode: string;
  wrongCode(attemptsLeft: number): string;
  codeUsedUp: string;
  codeExpired: string;
  /** A code for this number went out less than the resend wait ago: that one is still the one to enter. */
  codeStillValid(phone: string, seconds: number): string;
  dailyLimit: string;
  smsLimited: string;
  cancelled: string;
  backendDown: string;
  resend: string;
  cancel: string;
  noAccount: string;
  unlockNotLocked: string;
  unlockClosed: string;
  unlockedWithReset: string;
  resetLinkSms(url: string): string;
  unlocked: string;
  unlockSecurity: string;
  startAppeal: string;
  startUnlock: string;
  pcAskCurrent: string;
  pcLostOld: string;
  pcClosed: string;
  pcLocked: string;
  pcAskNew: string;
  pcAskNewAgain: string;
  pcSameNumber: string;
  pcTaken: string;
  pcConfirm(oldPhone: string, newPhone: string): string;
  pcConfirmWord: string;
  pcNotConfirmed: string;
  pcChanged(newPhone: string): string;
  pcNoticeSms(oldPhone: string, newPhone: string): string;
  apAsk: string;
  apNotClosed: string;
  apGuidance: Record<'identity_failed' | 'security' | 'violation', string>;
  apAskExplanation: string;
  apTooShort: string;
  apTooLong: string;
  apAskFiles(maxSize: string): string;
  apFileAdded(count: number): string;
  apBadFile(maxSize: string): string;
  apTooManyFiles: string;
  apDone: string;
  apSkip: string;
  apCreated(caseId: string, answerBy: string): string;
  asAsk: string;
  asNotFound: string;
  asNoCases: string;
  asStatus: Record<'received' | 'in_review' | 'approved' | 'rejected', string>;
  asCase(caseId: string, status: string, createdAt: string, answerBy: string, history: string): string;
}

const zh: FlowMessages = {
  askPhone: '好的，我来帮您解锁账户。请输入账户绑定的手机号（11 位）。随时回复“取消”可以退出。',
  askPhoneAgain: '请输入账户绑定的手机号（11 位）。',
  badPhone: '这好像不是有效的手机号，请输入 11 位的中国大陆手机号，例如 138 0000 0000。',
  codeSent: (phone) => `如果该号码已注册，验证码已发送至 ${maskPhone(phone)}，5 分钟内有效。请输入 6 位验证码。`,
  codeSentToNew: (phone) => `为确认新号码在您手上，我们向 ${maskPhone(phone)} 发送了一条验证码短信，5 分钟内有效。请输入收到的 6 位验证码。`,
  askCode: (phone) => `请输入发送到 ${maskPhone(phone)} 的 6 位验证码。没收到的话，回复“重新发送”。`,
  badCode: '验证码是 6 位数字，请再输入一次。没收到的话，回复“重新发送”。',
  wrongCode: (left) => `验证码不正确，您还可以再试 ${left} 次。`,
  codeUsedUp: '输错次数太多，这个验证码已失效。回复“重新发送”获取新的验证码。',
  codeExpired: '验证码已过期。回复“重新发送”获取新的验证码。',
  codeStillValid: (phone, s) => `刚才发送到 ${maskPhone(phone)} 的验证码仍然有效，请直接输入短信里的 6 位验证码。如果没收到，${s} 秒后可以回复“重新发送”。`,
  dailyLimit: '这个号码今天获取验证码的次数已达上限，请明天再试，或回复“转人工”联系人工客服。',
  smsLimited: '获取验证码的请求太多了，请过一段时间再试，或回复“转人工”联系人工客服。',
  cancelled: '好的，已取消。还有其他问题随时问我。',
  backendDown: '抱歉，账户系统暂时无法处理您的请求，我来为您转接人工客服。',
  resend: '重新发送',
  cancel: '取消',
  noAccount: '验证通过，但没有找到这个手机号绑定的账户。请确认是注册时使用的号码。',
  unlockNotLocked: '验证通过。您的账户状态正常，没有被锁定。如果登录时仍遇到问题，可以告诉我具体的提示。',
  unlockClosed: '验证通过。您的账户已被关闭，无法通过解锁恢复。如果您认为关闭有误，可以提交申诉。',
  unlockedWithReset: '验证通过，账户已解锁。重置密码的链接已通过短信发送到您的手机，请通过链接设置新密码。请不要在聊天中发送密码，客服也不会向您索要密码。',
  resetLinkSms: (url) => `【客服】您的账户已解锁。请在 30 分钟内通过此链接重置密码：${url} 。如非本人操作，请立即联系客服。`,
  unlocked: '验证通过，账户已解锁，现在可以正常登录了。',
  unlockSecurity: '验证通过。您的账户因安全预警被锁定，为了保护资金安全，不能自助解锁。我会为您优先转接人工客服，由专人核实身份后处理。',
  startAppeal: '我要申诉',
  startUnlock: '帮我解锁',
  pcAskCurrent: '好的，我来帮您更换绑定的手机号。请先输入当前绑定的手机号（11 位）。随时回复“取消”可以退出。',
  pcLostOld:
    '旧号码收不到验证码的话，需要由人工客服核实您的身份（请准备好身份证件）后再为您更换号码。我这就为您转接人工客服。',
  pcClosed: '验证通过。您的账户已被关闭，暂时无法更换手机号。如果您认为关闭有误，可以提交申诉。',
  pcLocked: '验证通过。您的账户目前处于锁定状态，请先解锁账户，再来更换手机号。',
  pcAskNew: '验证通过。请输入新的手机号（11 位）。',
  pcAskNewAgain: '请输入新的手机号（11 位）。',
  pcSameNumber: '新号码和当前绑定的号码相同，请输入另一个号码。',
  pcTaken: '这个号码已经绑定了其他账户。一个号码只能绑定一个账户，请换一个号码，或先在原账户解除绑定。',
  pcConfirm: (oldPhone, newPhone) => `请确认：将账户绑定的手机号从 ${maskPhone(oldPhone)} 更换为 ${maskPhone(newPhone)}。`,
  pcConfirmWord: '确认更换',
  pcNotConfirmed: '请回复“确认更换”完成更换，或回复“取消”放弃。',
  pcChanged: (newPhone) =>
    `更换成功！您的账户现在绑定 ${maskPhone(newPhone)}，新旧号码都会收到一条短信通知。\n\n别忘了：\n- 重新绑定银行卡，保障资金安全；\n- 同步更新支付宝、微信等其他绑定的号码。`,
  pcNoticeSms: (oldPhone, newPhone) =>
    `【客服】您的账户绑定手机号已由 ${maskPhone(oldPhone)} 更换为 ${maskPhone(newPhone)}。如非本人操作，请立即联系客服。`,
  apAsk: '好的，我来帮您提交申诉。请输入账户绑定的手机号（11 位）。随时回复“取消”可以退出。',
  apNotClosed: '验证通过。您的账户没有被关闭，不需要申诉。如果账户被锁定，可以回复“帮我解锁”。',
  apGuidance: {
    identity_failed: '验证通过。您的账户因身份验证未通过被关闭。申诉时请说明情况，并附上清晰的身份证件照片（正反面），必要时附上地址证明。',
    security: '验证通过。您的账户因安全原因被关闭。申诉通过、账户恢复后，请立即设置新的登录密码并开启双重验证。',
    violation: '验证通过。您的账户因违反平台规则被永久关闭。您仍然可以提交申诉，但这类申诉通过的情况很少，请如实说明情况。',
  },
  apAskExplanation: '请用一段话说明情况（10 到 1000 字），比如发生了什么、为什么认为关闭有误。',
  apTooShort: '说明有点短，请至少写 10 个字，把情况讲清楚一些。',
  apTooLong: '说明太长了，请控制在 1000 字以内。',
  apAskFiles: (max) => `如有证明材料，现在可以上传图片或 PDF（最多 3 个，每次上传合计不超过 ${max}）。上传好了回复“完成”，没有材料回复“跳过”。`,
  apFileAdded: (count) => `已收到 ${count} 个文件。可以继续上传，或回复“完成”提交申诉。`,
  apBadFile: (max) => `只能上传图片或 PDF 文件，每次上传合计不超过 ${max}。`,
  apTooManyFiles: '最多上传 3 个文件。请回复“完成”提交申诉。',
  apDone: '完成',
  apSkip: '跳过',
  apCreated: (caseId, answerBy) =>
    `申诉已提交，案件号 **${caseId}**。我们会在 3 个工作日内（${answerBy} 前）答复您。之后随时回复“查询申诉进度”并提供案件号，就能查看进度。`,
  asAsk: '请提供申诉案件号（如 AP-20261122-7K3Q），或者输入账户绑定的手机号，验证后为您查询。',
  asNotFound: '没有找到这个案件号，请核对后再输入，或者改为输入账户绑定的手机号。',
  asNoCases: '验证通过。这个账户下没有申诉记录。',
  asStatus: { received: '已受理', in_review: '审核中', approved: '申诉通过', rejected: '未通过' },
  asCase: (caseId, status, createdAt, answerBy, history) =>
    `案件 ${caseId}：**${status}**。提交于 ${createdAt}，预计 ${answerBy} 前答复。\n\n处理记录：\n${history}`,
};

const en: FlowMessages = {
  askPhone: "OK, let's unlock your account. Please enter the mobile number bound to it (11 digits). Type \"cancel\" any time to stop.",
  askPhoneAgain: 'Please enter the mobile number bound to your account (11 digits).',
  badPhone: "That doesn't look like a valid number. Please enter an 11-digit mainland China mobile number, e.g. 138 0000 0000.",
  codeSent: (phone) => `If this number is registered, a code has been sent to ${maskPhone(phone)}; it is valid for 5 minutes. Please enter the 6-digit code.`,
  codeSentToNew: (phone) => `To confirm the new number is yours, a code has been sent to ${maskPhone(phone)}; it is valid for 5 minutes. Please enter the 6-digit code you received.`,
  askCode: (phone) => `Please enter the 6-digit code sent to ${maskPhone(phone)}. Type "resend" if it did not arrive.`,
  badCode: 'The code has 6 digits; please try again. Type "resend" if it did not arrive.',
  wrongCode: (left) => `That code is not right; ${left} ${left === 1 ? 'try' : 'tries'} left.`,
  codeUsedUp: 'Too many wrong entries: this code no longer works. Type "resend" for a new one.',
  codeExpired: 'The code has expired. Type "resend" for a new one.',
  codeStillValid: (phone, s) => `The code sent to ${maskPhone(phone)} a moment ago is still valid: please enter the 6 digits from that SMS. If it did not arrive, you can type "resend" in ${s} seconds.`,
  dailyLimit: 'This number has reached today\'s limit of codes. Please try again tomorrow, or type "agent" to reach a person.',
  smsLimited: 'Too many codes have been requested lately. Please try again later, or type "agent" to reach a person.',
  cancelled: 'OK, cancelled. Ask me anything else any time.',
  backendDown: 'Sorry, the account system cannot handle this right now; let me connect you to a human agent.',
  resend: 'Resend',
  cancel: 'Cancel',
  noAccount: 'Verified, but no account is bound to this number. Please check it is the number you registered with.',
  unlockNotLocked: 'Verified. Your account is fine and not locked. If you still cannot log in, tell me what the app says.',
  unlockClosed: 'Verified. Your account has been closed, which unlocking cannot undo. If you think this is a mistake, you can file an appeal.',
  unlockedWithReset: 'Verified, and your account is unlocked. A password-reset link has been sent to your phone by SMS; use it to set a new password. Never send a password in chat: support will never ask for it.',
  resetLinkSms: (url) => `[Support] Your account is unlocked. Reset your password within 30 minutes here: ${url} . If this was not you, contact support now.`,
  unlocked: 'Verified, and your account is unlocked. You can log in again.',
  unlockSecurity: 'Verified. Your account was locked by a security alert; to keep your money safe it cannot be unlocked in chat. I am passing you to a human agent with priority, who will check your identity and help.',
  startAppeal: 'File an appeal',
  startUnlock: 'Unlock my account',
  pcAskCurrent: "OK, let's change the phone number bound to your account. First, enter the number bound now (11 digits). Type \"cancel\" any time to stop.",
  pcLostOld: 'If the old number cannot receive codes any more, a human agent needs to check your identity (have your ID ready) before changing it. I am passing you to an agent now.',
  pcClosed: 'Verified. Your account has been closed, so its number cannot be changed. If you think the closure is a mistake, you can file an appeal.',
  pcLocked: 'Verified. Your account is locked right now; please unlock it first, then change the number.',
  pcAskNew: 'Verified. Please enter the new number (11 digits).',
  pcAskNewAgain: 'Please enter the new number (11 digits).',
  pcSameNumber: 'That is the number bound now; please enter a different one.',
  pcTaken: 'That number is already bound to another account. One number can only be bound to one account: use another number, or unbind it from that account first.',
  pcConfirm: (oldPhone, newPhone) => `Please confirm: change the number bound to your account from ${maskPhone(oldPhone)} to ${maskPhone(newPhone)}.`,
  pcConfirmWord: 'Confirm change',
  pcNotConfirmed: 'Reply "confirm" to make the change, or "cancel" to leave it.',
  pcChanged: (newPhone) =>
    `Done! Your account is now bound to ${maskPhone(newPhone)}; both numbers get an SMS about it.\n\nDon't forget to:\n- re-link your bank card to keep your money safe;\n- update the number in your other linked services.`,
  pcNoticeSms: (oldPhone, newPhone) =>
    `[Support] The number bound to your account changed from ${maskPhone(oldPhone)} to ${maskPhone(newPhone)}. If this was not you, contact support now.`,
  apAsk: "OK, let's file an appeal. Please enter the mobile number bound to your account (11 digits). Type \"cancel\" any time to stop.",
  apNotClosed: 'Verified. Your account is not closed, so there is nothing to appeal. If it is locked, type "unlock my account".',
  apGuidance: {
    identity_failed: 'Verified. Your account was closed because identity verification failed. Explain what happened and attach clear photos of both sides of your ID card, and proof of address if you have it.',
    security: 'Verified. Your account was closed for security reasons. If the appeal succeeds and it is reopened, set a new password and turn on two-factor authentication right away.',
    violation: 'Verified. Your account was closed permanently for breaking the platform rules. You can still appeal, but such appeals rarely succeed; please describe what happened truthfully.',
  },
  apAskExplanation: 'Please explain in one message (10 to 1000 characters) what happened and why you think the closure is wrong.',
  apTooShort: 'That is a little short: please write at least 10 characters.',
  apTooLong: 'That is too long: please keep it under 1000 characters.',
  apAskFiles: (max) => `If you have evidence, upload images or PDFs now (up to 3, at most ${max} per upload). Type "done" when finished, or "skip" if you have none.`,
  apFileAdded: (count) => `Got ${count} file${count === 1 ? '' : 's'}. Upload more, or type "done" to submit the appeal.`,
  apBadFile: (max) => `Only images or PDF files, at most ${max} per upload, please.`,
  apTooManyFiles: 'That is the maximum of 3 files. Type "done" to submit the appeal.',
  apDone: 'Done',
  apSkip: 'Skip',
  apCreated: (caseId, answerBy) =>
    `Your appeal is filed: case **${caseId}**. We will answer within 3 business days (by ${answerBy}). Type "appeal status" with the case number any time to check on it.`,
  asAsk: 'Please give the case number (like AP-20261122-7K3Q), or the mobile number of the account to verify and look it up.',
  asNotFound: 'No case has that number. Please check it, or enter the account\'s mobile number instead.',
  asNoCases: 'Verified. This account has no appeals.',
  asStatus: { received: 'received', in_review: 'in review', approved: 'approved', rejected: 'not approved' },
  asCase: (caseId, status, createdAt, answerBy, history) =>
    `Case ${caseId}: **${status}**. Filed on ${createdAt}; answer expected by ${answerBy}.\n\nHistory:\n${history}`,
};

/** A byte limit as people read it: "4 MB", "1.5 MB", "512 KB". */
export function sizeLabel(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function flowMessages(locale: Locale): FlowMessages {
  return locale === 'en-US' ? en : zh;
}
