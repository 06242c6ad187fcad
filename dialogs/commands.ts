import type { Route, Router } from '../knowledge/route';
import type { Locale } from '../knowledge/schema';
import { detectLocale, normalize } from '../knowledge/text';

/**
 * The few fixed things a user can type at any point. Matched on the whole message only,
 * so "帮助中心在哪" is still a question, not the help command.
 */
export type Command = 'help' | 'restart' | 'greeting' | 'thanks';

const COMMANDS: Record<Command, string[]> = {
  greeting: ['你好', '您好', '在吗', '在不在', '有人吗', '哈喽', 'hi', 'hello', 'hey', 'hi there'],
  thanks: ['谢谢', '谢谢你', '感谢', '多谢', '好的谢谢', '谢啦', 'thanks', 'thank you', 'thx', 'ty'],
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
  if (['没帮助', '没用', '没有用', '没解决', '不对', '答非所问', 'not helpful', 'useless', 'didn t help', 'did not help'].includes(t)) return 'down';
  return undefined;
}

/** What a typed message is, before the conversation acts on it. */
export type Understood =
  | { kind: 'command'; command: Command; locale: Locale }
  | { kind: 'feedback'; vote: 'up' | 'down'; locale: Locale }
  | { kind: 'message'; route: Route };

/**
 * Commands and feedback first, then the router: the bot and `kb ask` both call this, so
 * the CLI shows what the bot does with "帮助" or "👍 有帮助" too.
 */
export function understand(text: string, router: Pick<Router, 'route'>, conversationLocale: Locale): Understood {
  const locale = detectLocale(text) ?? conversationLocale;
  const command = parseCommand(text);
  if (command) return { kind: 'command', command, locale };
  const vote = parseFeedback(text);
  if (vote) return { kind: 'feedback', vote, locale };
  return { kind: 'message', route: router.route(text, conversationLocale) };
}

const YES = ['是', '是的', '好', '好的', '要', '需要', '可以', '行', '嗯', '嗯嗯', '对', 'yes', 'y', 'ok', 'okay', 'sure', 'yes please', 'please'];
const NO = ['不', '不用', '不用了', '不要', '不需要', '算了', '先不用', 'no', 'n', 'no thanks', 'nope', 'not now'];
const NONE = ['都不是', '都不对', '都不', '没有', '不是', '以上都不是', 'none', 'none of these', 'neither', 'no'];

export const isYes = (text: string) => YES.includes(normalize(text));
export const isNo = (text: string) => NO.includes(normalize(text));
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
