import type { Locale } from '../knowledge/schema';
import { plainText } from '../knowledge/text';
import type { Suggestion } from './reply';

/** Everything the bot says around a handoff to a person, in both languages. */
export interface HandoffMessages {
  queued(position: number, etaMinutes: number): string;
  connecting: string;
  moved(position: number, etaMinutes: number): string;
  position(position: number, etaMinutes: number): string;
  stillQueued: string;
  /** Goodbye while queued: the place is kept. */
  goodbyeQueued: string;
  cancelQueue: string;
  queueCancelled: string;
  cancelTooLate: string;
  agentJoined(name: string): string;
  alreadyWithAgent(name: string): string;
  agentSays(name: string, text: string): string;
  expired: string;
  closedNow(hours: string): string;
  noAgents: string;
  leaveMessage: string;
  noThanks: string;
  askContact: string;
  badContact: string;
  askMessageText: string;
  messageTooShort: string;
  ticketLeft(id: string, maskedPhone: string): string;
  ticketFailed: string;
  declined: string;
  requestFailed: string;
  tooManyHandoffs: string;
  askRating: string;
  /** A rating button's words ("5 分"); readRating reads them back. */
  stars(rating: number): string;
  thanksRating(rating: number): string;
  complaintOffer: string;
  talkToAgent: string;
}

const zh: HandoffMessages = {
  queued: (p, eta) =>
    `好的，正在为您转接人工客服。您目前排在第 ${p} 位，预计等待约 ${eta} 分钟。\n\n排队期间您发的消息，客服接入后都能看到；不想等了可以回复“取消排队”。`,
  connecting: '好的，正在为您转接人工客服，请稍候。客服接入后会在这里回复您；不想等了可以回复“取消排队”。',
  moved: (p, eta) => (p === 1 ? `马上就到您了：您现在排在第 1 位，预计等待约 ${eta} 分钟。` : `排队有进展：您现在排在第 ${p} 位，预计还需等待约 ${eta} 分钟。`),
  position: (p, eta) => `您正在排队，目前排在第 ${p} 位，预计等待约 ${eta} 分钟。`,
  stillQueued: '您还在排队等待人工客服，这条消息客服接入后能看到。想退出排队请回复“取消排队”。',
  cancelQueue: '取消排队',
  goodbyeQueued: '好的，再见！您的人工客服排队会继续保留，客服接入后会在这里回复您，回来就能看到。不需要了可以回复“取消排队”。',
  queueCancelled: '好的，已为您取消排队。还有其他问题可以继续问我。',
  cancelTooLate: '客服刚刚已经接入了，您可以直接和客服沟通。',
  agentJoined: (name) => `${name ? `人工客服「${name}」` : '人工客服'}已接入，您可以直接和客服沟通了。想结束人工服务时回复“结束人工”。`,
  alreadyWithAgent: (name) => `您正在和人工客服「${name}」沟通，直接发消息就可以。`,
  agentSays: (name, text) => `${name}：${text}`,
  expired: '抱歉，客服都在忙，一直没能接入您的会话。您可以给我们留言，客服会尽快联系您。需要留言吗？',
  closedNow: (hours) => `现在不在人工客服的服务时间（${hours}）。您可以给我们留言，客服上班后会尽快联系您。需要留言吗？`,
  noAgents: '抱歉，现在暂时没有人工客服在线。您可以给我们留言，客服会尽快联系您。需要留言吗？',
  leaveMessage: '留言',
  noThanks: '不用了',
  askContact: '请留下方便联系您的手机号（11 位）。回复“取消”可以退出留言。',
  badContact: '这好像不是有效的手机号。请输入 11 位中国大陆手机号，例如 138 0000 0000。',
  askMessageText: '请用一两句话描述您遇到的问题，客服会根据留言联系您。',
  messageTooShort: '请再多写几个字，把遇到的问题说清楚，方便客服处理。',
  ticketLeft: (id, phone) => `已收到您的留言，工单号 ${id}。客服会尽快通过 ${phone} 联系您。`,
  ticketFailed: '抱歉，留言没能保存成功，请稍后再试一次。',
  declined: '好的。还有其他问题可以继续问我。',
  requestFailed: '抱歉，转接人工客服时出了点问题，请稍后再试一次。',
  tooManyHandoffs: '您所在的网络最近转人工和留言的次数太多了，请过一段时间再试；有问题也可以继续问我。',
  askRating: '本次人工服务已结束。请为客服的服务打个分：5 分非常满意，1 分非常不满意。',
  stars: (r) => `${r} 分`,
  thanksRating: (r) => (r >= 4 ? '感谢您的评价！还有其他问题随时问我。' : '感谢您的评价，我们会认真改进。还有其他问题随时问我。'),
  complaintOffer: '非常抱歉给您带来了不好的体验。需要为您转接人工客服来处理吗？',
  talkToAgent: '转人工',
};

const en: HandoffMessages = {
  queued: (p, eta) =>
    `OK, I am connecting you to a human agent. You are number ${p} in the queue; the estimated wait is about ${eta} min.\n\nAgents see everything you send while you wait. Type "leave queue" if you no longer want to wait.`,
  connecting: 'OK, I am connecting you to a human agent; please wait a moment. They will reply right here. Type "leave queue" if you no longer want to wait.',
  moved: (p, eta) => (p === 1 ? `You are next: number 1 in the queue, about ${eta} min to go.` : `The queue is moving: you are now number ${p}, about ${eta} min to go.`),
  position: (p, eta) => `You are in the queue: number ${p}, about ${eta} min to go.`,
  stillQueued: 'You are still waiting for an agent, who will see this message. Type "leave queue" to stop waiting.',
  cancelQueue: 'Leave queue',
  goodbyeQueued: 'OK, bye for now! You keep your place in the queue: an agent will reply here when they join, and you will see it when you are back. Type "leave queue" if you no longer need it.',
  queueCancelled: 'OK, you have left the queue. Feel free to keep asking me.',
  cancelTooLate: 'An agent has just joined; you can talk to them directly.',
  agentJoined: (name) => `${name || 'An agent'} from our support team has joined. You can talk to them directly now; type "end chat" when you are done.`,
  alreadyWithAgent: (name) => `You are talking to ${name} from our support team; just send your message.`,
  agentSays: (name, text) => `${name}: ${text}`,
  expired: 'Sorry, all agents are busy and nobody could take your chat. You can leave us a message and an agent will contact you. Leave a message?',
  closedNow: (hours) => `Our agents are not available right now; their hours are ${hours}. You can leave a message and an agent will contact you when they are back. Leave a message?`,
  noAgents: 'Sorry, no agent is online right now. You can leave a message and an agent will contact you. Leave a message?',
  leaveMessage: 'Leave a message',
  noThanks: 'No thanks',
  askContact: 'Which mobile number can we reach you on (11-digit mainland number)? Type "cancel" to stop.',
  badContact: 'That does not look like a valid number. Please enter an 11-digit mainland mobile number, e.g. 138 0000 0000.',
  askMessageText: 'Please describe the problem in a sentence or two; the agent will contact you about it.',
  messageTooShort: 'Please write a little more so the agent understands the problem.',
  ticketLeft: (id, phone) => `Thanks, we have your message (ticket ${id}). An agent will contact you on ${phone} as soon as possible.`,
  ticketFailed: 'Sorry, your message could not be saved. Please try again in a moment.',
  declined: 'OK. Feel free to keep asking me.',
  requestFailed: 'Sorry, something went wrong while connecting you to an agent. Please try again in a moment.',
  tooManyHandoffs: 'Too many requests for an agent or messages have come from your network lately; please try again later, or keep asking me.',
  askRating: 'Your chat with our agent has ended. How would you rate it? 5 is excellent, 1 is poor.',
  stars: (r) => `${r} ${r === 1 ? 'star' : 'stars'}`,
  thanksRating: (r) => (r >= 4 ? 'Thank you for your rating! Ask me anything else any time.' : 'Thank you for your rating; we will work on it. Ask me anything else any time.'),
  complaintOffer: 'I am very sorry about your experience. Would you like a human agent to look into it?',
  talkToAgent: 'Talk to an agent',
};

export function handoffMessages(locale: Locale): HandoffMessages {
  return locale === 'en-US' ? en : zh;
}

/** The rating buttons, 5 down to 1: words that say the rating, the ⭐ only as decoration. */
export function ratingChoices(locale: Locale): Suggestion[] {
  const m = handoffMessages(locale);
  return [5, 4, 3, 2, 1].map((r) => ({ title: `⭐ ${m.stars(r)}`, value: m.stars(r) }));
}

const LEAVE_QUEUE = ['取消排队', '不排了', '不等了', '退出排队', '取消', '算了', 'leave queue', 'cancel', 'stop waiting', 'quit'];
const END_CHAT = ['结束人工', '结束人工服务', '结束对话', '结束会话', 'end chat', 'end the chat'];
const LEAVE_MESSAGE = ['留言', '我要留言', '好', '好的', '要', '需要', '可以', '行', 'leave a message', 'yes', 'ok', 'okay', 'sure'];

/** Pure readers of what the user types during a handoff. */
export const leavesQueue = (text: string) => LEAVE_QUEUE.includes(plainText(text).trim().toLowerCase());
export const endsChat = (text: string) => END_CHAT.includes(plainText(text).trim().toLowerCase());
export const wantsToLeaveMessage = (text: string) => LEAVE_MESSAGE.includes(plainText(text).trim().toLowerCase());

/** "5", "5分", "⭐ 4", "五星" → 1–5, or undefined. */
export function readRating(text: string): number | undefined {
  const t = plainText(text).replace(/⭐|\uFE0F|\s/gu, '').replace(/(分|星|stars?)$/i, '');
  const words: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };
  const n = /^[1-5]$/.test(t) ? Number(t) : words[t];
  return n;
}
