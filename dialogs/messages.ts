import type { Locale } from '../knowledge/schema';

/** Every sentence the root conversation says, in both languages. */
export interface Messages {
  welcome: string;
  help: string;
  /** Help while a flow or a message for the team is under way: its buttons would only confuse the step. */
  helpInFlow: string;
  restarted: string;
  clarifyIntro: string;
  clarifyOutro: string;
  noneOfThese: string;
  rephrase: string;
  fallback: string;
  offerHuman: string;
  yesHuman: string;
  noThanks: string;
  declinedHuman: string;
  /** Offered when a flow's step got three invalid answers in a row: yes, "不用了" (the step again) or "取消". */
  flowStuck: string;
  relatedHeading: string;
  /** The words of the feedback buttons; the 👍/👎 beside them is decoration only. */
  helpful: string;
  notHelpful: string;
  thanksUp: string;
  sorryDown: string;
  thanksNoAnswer: string;
  textOnly: string;
  turnFailed: string;
  unavailable: string;
  busy: string;
  tooLong(max: number): string;
  /** `max`: the upload limit as people read it ("4 MB"). */
  fileTooLarge(max: string): string;
  slowDown: string;
  tooManyRequests: string;
  flowTimedOut: string;
  cancelled: string;
  greeting: string;
  finishFlowFirst: string;
  /** A button of a step that is over (a card still on the page), or its words, with nothing open. */
  stepOver: string;
  youAreWelcome: string;
  offerUnlock: string;
  offerPhoneChange: string;
  offerAppeal: string;
  offerAppealStatus: string;
  sampleQuestions: string[];
  /** "您是想问…吗？" about one entry, with yes / no buttons. */
  confirmQuestion(question: string): string;
  yes: string;
  no: string;
  /** The user said no to "您是想问…吗？": other wordings, the next candidates, or a person. */
  confirmDenied: string;
  confirmDeniedNoOthers: string;
  /** The user said no to an answer's offer to start its flow. */
  declinedOffer: string;
  /** "好的" / "明白了" with nothing asked. */
  acknowledged: string;
  /** Thanks after an answer that has not been rated: the rating question follows. */
  askRatingAfterThanks: string;
  goodbye: string;
  /** Goodbye while a flow is under way: it stays open for a while. */
  goodbyeInFlow: string;
  /** "再说一遍" with nothing said yet. */
  nothingToRepeat: string;
  notUnderstood: string;
  /** "说错了" with nothing after it. */
  correctionEmpty: string;
  botChallenge: string;
  /** Frustration, someone in charge, a call back: a person is offered. */
  humanIndirect: string;
  /** Leave the running flow for another one? */
  switchFlow(from: string, to: string): string;
  /** Leave the running flow for a person? */
  switchToPerson(from: string): string;
  /** The flows by name, as the switch question names them. */
  flowTitle: Record<'unlock' | 'phone-change' | 'appeal' | 'appeal-status', string>;
  /** The second question of a message, offered as a button. */
  alsoAsked(question: string): string;
}

const zh: Messages = {
  welcome:
    '您好，我是智能客服 👋\n\n账户锁定与解锁、手机号更换和绑定、验证码、账户关闭与申诉这些问题，都可以直接问我。回复“帮助”看看我能做什么。',
  help:
    '我可以直接帮您办理：\n\n1. 解锁被锁定的账户\n2. 更换绑定的手机号\n3. 账户被关闭后提交申诉\n4. 查询申诉进度\n\n点下面的按钮就能开始。也可以直接问我问题，比如“验证码收不到怎么办”，用一句话说清楚，我找得最准；需要真人协助时，点“转人工”。回复“重新开始”可以清空当前对话。',
  helpInFlow: '您正在办理的事情还没完成，请按上一条提示继续；想先退出，回复“取消”。退出后回复“帮助”，可以看到我能帮您办理的所有事情。',
  restarted: '好的，我们重新开始。请问有什么可以帮您？',
  clarifyIntro: '您是想问：',
  clarifyOutro: '请回复序号，或直接点选。都不是的话，换个说法再问我也行。',
  noneOfThese: '都不是',
  rephrase: '好的，麻烦您换个说法描述一下，我再帮您找找。',
  fallback: '抱歉，这个问题我暂时答不上来。可以换个说法，或者说得具体一点，比如“验证码收不到怎么办”。',
  offerHuman: '不好意思，我好像一直没帮上忙。需要为您转接人工客服吗？',
  yesHuman: '转人工',
  noThanks: '不用了',
  declinedHuman: '好的，您可以继续问我。',
  flowStuck: '看来这一步不太顺利。需要为您转接人工客服吗？回复“不用了”我们接着办，回复“取消”就先不办了。',
  relatedHeading: '您可能还想了解：',
  helpful: '有帮助',
  notHelpful: '没帮助',
  thanksUp: '感谢您的反馈！还有其他问题随时问我。',
  sorryDown: '抱歉没能帮到您，这条反馈我们会用来改进回答。您可以换个说法再问一次，或者回复“转人工”。',
  thanksNoAnswer: '谢谢！有问题随时问我。',
  textOnly: '抱歉，我目前只能看懂文字消息，请用文字描述一下您的问题。',
  turnFailed: '抱歉，系统刚才出了点问题，没能处理您的消息。请稍后再发一次，我们的对话进度不会丢失。',
  unavailable: '抱歉，系统暂时无法服务，请稍后再试。您的对话进度不会丢失。',
  busy: '上一条消息还在处理中，请稍等片刻再发一次。',
  tooLong: (max) => `这条消息有点长，我一次最多能看 ${max} 个字。麻烦精简一下，或者分成几条发给我。`,
  fileTooLarge: (max) => `这个文件超过了每次上传 ${max} 的上限，没能收到，请压缩或只截取需要的部分后重新上传。`,
  slowDown: '您发消息有点快，请稍等几秒再发，我会一条一条回复您。',
  tooManyRequests: '您所在的网络发来的请求太多了，请稍等一会儿再试。',
  flowTimedOut: '刚才的办理因为长时间没有操作已经结束了，需要的话可以重新开始。',
  cancelled: '好的，已取消。还有其他问题随时问我。',
  greeting: '您好！请问有什么可以帮您？可以直接描述您遇到的问题。',
  finishFlowFirst: '我们先把当前这一步办完吧；想退出的话，回复“取消”。',
  stepOver: '那一步已经结束了，不用再操作；还需要什么，直接告诉我就好。',
  youAreWelcome: '不客气！还有其他问题随时问我。',
  offerUnlock: '帮我解锁',
  offerPhoneChange: '我要换手机号',
  offerAppeal: '我要申诉',
  offerAppealStatus: '查询申诉进度',
  sampleQuestions: ['验证码收不到怎么办', '账户被锁了怎么解锁', '换手机号要重新绑银行卡吗'],
  confirmQuestion: (question) => `您是想问「${question}」吗？`,
  yes: '是的',
  no: '不是',
  confirmDenied: '好的，是不是下面这些问题？都不是的话，换个说法再描述一下，或者回复“转人工”。',
  confirmDeniedNoOthers: '好的，麻烦您换个说法再描述一下，我再帮您找找；也可以回复“转人工”。',
  declinedOffer: '好的，先不办。还有其他问题随时问我，回复“帮助”可以看到我能帮您办理的事情。',
  acknowledged: '好的。还有其他问题随时问我。',
  askRatingAfterThanks: '不客气！刚才的回答对您有帮助吗？',
  goodbye: '感谢您的咨询，祝您生活愉快！有需要随时再来找我。',
  goodbyeInFlow: '好的，再见！刚才办理的事情会为您保留一会儿，回来接着回复就能继续；不需要了回复“取消”。',
  nothingToRepeat: '我刚才还没有回答具体的问题。请直接告诉我您遇到的情况，比如“验证码收不到怎么办”。',
  notUnderstood: '抱歉，我没说清楚。您可以告诉我是哪一步不明白，我再换个方式解释；也可以请人工客服一步步帮您。需要为您转接人工客服吗？',
  correctionEmpty: '好的，您想问的是什么？请再说一下。',
  botChallenge: '我是智能客服机器人，可以解答常见问题，也能帮您办理解锁、换绑手机号和申诉。想和真人沟通的话，我可以马上为您转接人工客服。需要转人工吗？',
  humanIndirect: '抱歉没能帮上忙。需要为您转接人工客服吗？',
  switchFlow: (from, to) => `要先退出「${from}」，改为「${to}」吗？`,
  switchToPerson: (from) => `要先退出「${from}」，为您转接人工客服吗？`,
  flowTitle: { unlock: '解锁账户', 'phone-change': '更换手机号', appeal: '账户申诉', 'appeal-status': '查询申诉进度' },
  alsoAsked: (question) => `您还问到：${question}`,
};

const en: Messages = {
  welcome:
    "Hi, I'm the support assistant 👋\n\nAsk me about locked accounts, changing or binding your phone number, SMS codes, closed accounts and appeals. Type \"help\" to see what I can do.",
  help:
    'I can do these for you right here:\n\n1. Unlock a locked account\n2. Change the phone number on your account\n3. File an appeal for a closed account\n4. Check the status of an appeal\n\nTap a button below to start. You can also just ask me a question, e.g. "I didn\'t get the SMS code"; one sentence works best. For a real person, tap "Talk to an agent" or type "agent" any time. Type "restart" to start over.',
  helpInFlow: 'We are in the middle of a request: please go on with the last step, or type "cancel" to leave it. After that, type "help" to see everything I can do for you.',
  restarted: "OK, let's start over. What can I help you with?",
  clarifyIntro: 'Did you mean:',
  clarifyOutro: 'Reply with the number or tap one. If none fits, just ask again in other words.',
  noneOfThese: 'None of these',
  rephrase: 'OK, could you describe it in other words? I will look again.',
  fallback: "Sorry, I don't have an answer for that yet. Could you rephrase it or be more specific, e.g. \"I didn't get the SMS code\"?",
  offerHuman: "Sorry, I don't seem to be helping. Would you like to talk to a human agent?",
  yesHuman: 'Talk to an agent',
  noThanks: 'No thanks',
  declinedHuman: 'OK, feel free to keep asking me.',
  flowStuck: 'This step does not seem to be working out. Would you like me to connect you to a human agent? Reply "No thanks" to carry on here, or "cancel" to stop.',
  relatedHeading: 'You may also want to know:',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  thanksUp: 'Thanks for the feedback! Ask me anything else any time.',
  sorryDown: 'Sorry that did not help; we use this feedback to improve. Try asking in other words, or type "agent".',
  thanksNoAnswer: 'Thanks! Ask me anything any time.',
  textOnly: 'Sorry, I can only read text messages for now. Please describe your question in words.',
  turnFailed: 'Sorry, something went wrong on our side and I could not handle that message. Please send it again in a moment; our conversation is kept.',
  unavailable: 'Sorry, the service is temporarily unavailable. Please try again in a moment; our conversation is kept.',
  busy: 'Your previous message is still being handled; please send this one again in a moment.',
  tooLong: (max) => `That message is a bit long: I can read up to ${max} characters at a time. Please shorten it or split it into a few messages.`,
  fileTooLarge: (max) => `That file is over the ${max} upload limit and did not arrive; please compress it, or capture just the part that matters, and upload it again.`,
  slowDown: 'You are sending messages a little fast; please wait a few seconds and I will answer them one by one.',
  tooManyRequests: 'Too many requests have come from your network; please wait a moment and try again.',
  flowTimedOut: 'The previous request ended because it was idle for a long time; you can start it again any time.',
  cancelled: 'OK, cancelled. Ask me anything else any time.',
  greeting: 'Hello! How can I help you? Just describe the problem.',
  finishFlowFirst: 'Let us finish the current step first; type "cancel" to leave it.',
  stepOver: 'That step is already over, so there is nothing more to do there; just tell me what you need.',
  youAreWelcome: "You're welcome! Ask me anything else any time.",
  offerUnlock: 'Unlock my account',
  offerPhoneChange: 'Change my phone number',
  offerAppeal: 'File an appeal',
  offerAppealStatus: 'Check my appeal status',
  sampleQuestions: ["I didn't get the SMS code", 'How do I unlock my account', 'Do I need to rebind my bank card after changing number'],
  confirmQuestion: (question) => `Do you mean "${question}"?`,
  yes: 'Yes',
  no: 'No',
  confirmDenied: 'OK. Is it one of these? If not, please put it in other words, or type "agent".',
  confirmDeniedNoOthers: 'OK, could you put it in other words? I will look again. You can also type "agent".',
  declinedOffer: 'OK, not now. Ask me anything else any time, or type "help" to see what I can do for you.',
  acknowledged: 'OK. Ask me anything else any time.',
  askRatingAfterThanks: "You're welcome! Did that answer help?",
  goodbye: 'Thanks for reaching out, and have a good day! Come back any time.',
  goodbyeInFlow: 'OK, bye for now! What we started stays open for a while: just reply when you are back, or type "cancel" if you no longer need it.',
  nothingToRepeat: 'I have not answered anything yet. Just tell me what happened, e.g. "I didn\'t get the SMS code".',
  notUnderstood: 'Sorry, I was not clear. Tell me which part is unclear and I will explain it another way, or a human agent can walk you through it. Would you like to talk to an agent?',
  correctionEmpty: 'OK, what did you mean? Please say it again.',
  botChallenge: "I'm the automated support assistant: I answer common questions and can unlock accounts, change phone numbers and file appeals. If you'd rather talk to a person, I can connect you right away. Would you like an agent?",
  humanIndirect: "Sorry I haven't been able to help. Would you like to talk to a human agent?",
  switchFlow: (from, to) => `Leave "${from}" and ${to.charAt(0).toLowerCase()}${to.slice(1)} instead?`,
  switchToPerson: (from) => `Leave "${from}" and talk to a human agent instead?`,
  flowTitle: { unlock: 'Unlock your account', 'phone-change': 'Change your phone number', appeal: 'File an appeal', 'appeal-status': 'Check an appeal' },
  alsoAsked: (question) => `You also asked: ${question}`,
};

export function messages(locale: Locale): Messages {
  return locale === 'en-US' ? en : zh;
}
