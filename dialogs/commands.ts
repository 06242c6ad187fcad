import type { ActReading } from '../knowledge/acts';
import type { Route, RouteContext, Router } from '../knowledge/route';
import type { Act, Locale } from '../knowledge/schema';
import { detectLocale, normalize } from '../knowledge/text';
import { asksForSomeoneThere, asksSomething, clausesOf, declines } from '../knowledge/intents';

/**
 * The few fixed things a user can type at any point. Matched on the whole message only,
 * so "帮助中心在哪" is still a question, not the help command. Greetings, thanks and the
 * other conversation acts are knowledge-base data (knowledge/acts.ts).
 */
export type Command = 'help' | 'restart';

const COMMANDS: Record<Command, string[]> = {
  help: ['帮助', '帮助一下', '菜单', '你能做什么', '你会什么', '你可以做什么', '你能帮我做什么', '你都能做什么', '能做什么', 'help', 'menu', 'what can you do', 'what can you do for me', 'what can i do here', '?', '？'],
  restart: ['重新开始', '重来', '重置', '从头开始', 'restart', 'start over', 'reset'],
};

/** Each command's words as a message is compared with them: normalised once, not on every message. */
const COMMAND_OF = new Map((Object.entries(COMMANDS) as [Command, string[]][]).flatMap(([command, words]) => words.map((w) => [normalize(w) || w, command] as const)).reverse());

export function parseCommand(text: string): Command | undefined {
  const trimmed = text.trim();
  return COMMAND_OF.get(normalize(trimmed) || trimmed);
}

/** 👍 / 👎 buttons and their typed equivalents. */
export function parseFeedback(text: string): 'up' | 'down' | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('👍')) return 'up';
  if (trimmed.startsWith('👎')) return 'down';
  const t = normalize(trimmed);
  if (['有帮助', '有用', '解决了', '很有用', '谢谢有用', 'helpful', 'that helped', 'useful'].includes(t)) return 'up';
  if (['没帮助', '没用', '没有用', '没解决', '答非所问', 'not helpful', 'useless', 'didn t help', 'did not help'].includes(t)) return 'down';
  return undefined;
}

/** A message as the conversation reads it: where it routes, and the acts it is made of. */
export interface Reading {
  route: Route;
  /** The conversation acts the message is (empty when it only asks or says something else). */
  acts: Act[];
  /** Whether the acts are the whole message ("不对"), not only its first or last clause ("不用了 我自己改"). */
  whole: boolean;
  /** "说错了，是…": `route` is of what the user meant, the text after the correction. */
  corrected: boolean;
}

/** What a typed message is, before the conversation acts on it. */
export type Understood =
  | { kind: 'command'; command: Command; locale: Locale }
  | { kind: 'feedback'; vote: 'up' | 'down'; locale: Locale }
  | ({ kind: 'message' } & Reading);

/** Acts that say something about the bot or its last answer, not yes or no. */
const SENTENCE_ACTS: ReadonlySet<Act> = new Set(['repeat', 'not-understood', 'bot-challenge', 'human-indirect']);

/**
 * How sure a reading of a sentence act must be to outweigh an answer: "Can someone from your
 * team call me back?" shares its words with the phishing warning ("someone from your team called
 * me"), but the act classifier, trained against every question phrasing, is 0.99 sure it asks for
 * a person. At 0.95 nothing on the dev sets' questions is taken for an act.
 */
const SENTENCE_ACT_OVER_ANSWER = 0.95;
/**
 * An answer retrieval itself finds weak (below this score, taken only because the classifier
 * agreed, or resting on one shared word) gives way to a sentence act read at the reader's own bar
 * when the message asks nothing, or asks for a person ("…is there a supervisor"):
 * "我想跟客服主管谈谈" is not a question about the support hours, while "如果半夜要找人工 有人在吗"
 * is a question, and its answer stands.
 */
const WEAK_ANSWER = 0.5;

/** An answer found on little: a low score, or a single word shared with its phrasing ("I need a manager" ~ "do you need my code"). */
const weakAnswer = (route: Route) => (route.results[0]?.score ?? 0) < WEAK_ANSWER || (route.results[0]?.shared.length ?? 0) <= 1;

/** Decisions that say the message has a subject of its own; a merely close act reading gives way to them. */
const SURE_ROUTES: ReadonlySet<Route['decision']> = new Set(['answer', 'flow', 'handoff']);


/**
 * How a message reads:
 * - a correction ("说错了，是…") routes what follows it;
 * - a message made of act words ("好呀👌", "ok ty!!") is those acts, whatever the search thinks;
 * - a message only close to an act example ("你这破机器人根本听不懂人话") is that act unless the
 *   question reading is sure ("验证码是啥意思" asks about codes);
 * - a message that opens with a denial ("不用了 我自己去app里改") is that denial; one that opens
 *   with a yes ("行 那麻烦你帮我弄一下") is that yes unless what follows is a question of its own
 *   ("好的 那换号要钱吗"); one that closes with thanks or goodbye and asks nothing ("好 链接收到了
 *   谢谢", "算了等不及了 拜拜") is that thanks or goodbye.
 */
/** Every clause declines, in so many words or as a plain no ("不用了", "算了", "never mind"). */
function declinesOnly(text: string, router: Pick<Router, 'acts'>, locale: Locale): boolean {
  const clauses = clausesOf(text);
  return clauses.length > 0 && clauses.every((clause) => declines(clause, locale) || router.acts.read(clause, locale)?.acts.every((act) => act === 'deny') === true);
}

/** A question about what one is talking to: "…是真人吗", "…真人客服不", "人工还是自动回复" — not "我还是找人工吧". */
const asksWhat = (text: string) => asksSomething(text) || /[不没][?？。!！\s]*$|还是(?!.{0,8}吧)/u.test(text);

export function read(text: string, router: Pick<Router, 'route' | 'acts'>, conversationLocale: Locale, context?: RouteContext): Reading {
  const locale = detectLocale(text) ?? conversationLocale;
  // "no, not now" is a no twice over, not a correction: what follows the marker must say something.
  const correction = router.acts.correction(text, locale);
  if (correction && !router.acts.read(correction.meant, locale)?.exact && !declinesOnly(correction.meant, router, locale)) return { route: router.route(correction.meant, locale), acts: ['correction'], whole: false, corrected: true };
  const route = router.route(text, conversationLocale, context);
  // "先不用转人工", "暂时不申诉，我再想想", "no, I'll do it myself": a message that only declines is a no.
  if (declinesOnly(text, router, route.locale) && !/[?？]/u.test(text)) return { route, acts: ['deny'], whole: false, corrected: false };
  const reading: ActReading | undefined = router.acts.read(text, route.locale);
  // An answer found only through the last topic is a guess the message's own words come before.
  const sure = SURE_ROUTES.has(route.decision) && !(route.decision === 'answer' && route.inContext);
  // "跟我聊天的是真人客服不" names a person but asks what the bot is; "帮我接真人客服" asks for one.
  const { lead, tail } = router.acts.clauses(text, route.locale);
  // "no thanks, I'll read the email first": a no typed in so many words outweighs a closing only close to an example
  // ("算了，你们安排个专员联系我吧" still asks for a person).
  const heard =
    reading &&
    !(lead.includes('deny') && !reading.exact && !reading.acts.some((act) => SENTENCE_ACTS.has(act))) &&
    (reading.exact ||
      !sure ||
      (reading.acts.includes('bot-challenge') && route.decision === 'handoff' && asksWhat(text) && !asksForSomeoneThere(text)) ||
      (route.decision === 'answer' &&
        !route.safety &&
        (reading.score >= SENTENCE_ACT_OVER_ANSWER || (weakAnswer(route) && (!asksSomething(text) || reading.acts.includes('human-indirect')))) &&
        reading.acts.every((act) => SENTENCE_ACTS.has(act))));
  if (reading && heard) return { route, acts: reading.acts, whole: reading.exact, corrected: false };
  // A request in so many words ("请帮我转人工处理 谢谢") is the request, whatever closes it.
  const requests = route.decision === 'handoff' || route.decision === 'flow';
  const closing = tail.filter((act) => act === 'thanks' || act === 'goodbye');
  if (closing.length > 0 && !requests && !asksSomething(text)) return { route, acts: [...lead, ...closing], whole: false, corrected: false };
  // "太复杂了 没看明白", "你是AI吧 回得这么快": a clause that says something about the bot or its last answer.
  const aside = [...lead, ...tail].filter((act) => SENTENCE_ACTS.has(act));
  if (aside.length > 0 && !requests && !sure) return { route, acts: aside, whole: false, corrected: false };
  if (lead.includes('deny') && !asksSomething(text)) return { route, acts: lead, whole: false, corrected: false };
  // "actually never mind": a closing no, where nothing else is asked or found.
  if (tail.includes('deny') && !sure && !requests && !asksSomething(text)) return { route, acts: tail, whole: false, corrected: false };
  if (lead.length > 0 && !sure && !requests && !asksSomething(text)) return { route, acts: lead, whole: false, corrected: false };
  return { route, acts: [], whole: false, corrected: false };
}

/**
 * Commands and feedback first, then the message's reading: the bot and `kb ask` both call
 * this, so the CLI shows what the bot does with "帮助", "👍 有帮助" or "好的" too.
 */
export function understand(text: string, router: Pick<Router, 'route' | 'acts'>, conversationLocale: Locale, context?: RouteContext): Understood {
  const locale = detectLocale(text) ?? conversationLocale;
  const command = parseCommand(text);
  if (command) return { kind: 'command', command, locale };
  const vote = parseFeedback(text);
  if (vote) return { kind: 'feedback', vote, locale };
  return { kind: 'message', ...read(text, router, conversationLocale, context) };
}

/**
 * Yes to what the bot just asked: "好的", "行，麻烦你了", "ok ty!!" — but not "好的明白了 多谢"
 * (understood, thanks: nothing taken), nor "好的不用了", nor a sentence about the bot that
 * happens to hold a yes word ("你这机器人听不懂人话是吧").
 */
export function affirms(acts: readonly Act[]): boolean {
  return acts.includes('affirm') && !acts.some((act) => act === 'deny' || act === 'ack' || act === 'goodbye' || SENTENCE_ACTS.has(act));
}

/** No to what the bot just asked: "不用了", "不是", "算了吧 谢谢". */
export const denies = (acts: readonly Act[]): boolean => acts.includes('deny');

const NONE = ['都不是', '都不对', '都不', '没有', '以上都不是', 'none', 'none of these', 'neither'];

/** "都不是" to a list of options (a plain "不是" / "no" is a denial act). */
export const rejectsAll = (text: string) => NONE.includes(normalize(text));

const ORDINALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, first: 1, second: 2, third: 3 };

/** "2", "第二个", "2." or the option's own wording → its index; undefined when it is none of them. */
export function pickOption(text: string, options: readonly string[]): number | undefined {
  const t = normalize(text);
  const digit = /^(?:第)?(\d)(?:个|条)?$/.exec(t);
  const word = /^(?:第)?([一二两三]|first|second|third)(?:个|条| one)?$/.exec(t);
  const n = digit ? Number(digit[1]) : word ? ORDINALS[word[1] ?? ''] : undefined;
  if (n !== undefined) return n >= 1 && n <= options.length ? n - 1 : undefined;
  const index = options.findIndex((option) => normalize(option) === t);
  return index >= 0 ? index : undefined;
}
