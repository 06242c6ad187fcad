import * as OpenCC from 'opencc-js';
import { withoutFormatCharacters } from '../domain/text';
import type { Locale } from './schema';
import { EN_IN_ZH, EN_SYNONYMS, ZH_SYNONYMS } from './synonyms';

const HAN = /\p{Script=Han}/u;

/**
 * Traditional characters (Taiwan and Hong Kong usage included) as simplified ones: "帳號被鎖定"
 * must route like "帐号被锁定". OpenCC's tables, not a hand-made list.
 */
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** Text as the user meant it: no format characters, NFKC (full-width → half-width), simplified characters. */
export function plainText(text: string): string {
  const plain = withoutFormatCharacters(text).normalize('NFKC');
  return HAN.test(plain) ? toSimplified(plain) : plain;
}

/**
 * A pure text function that remembers its last few answers: routing reads one message many
 * times over (commands, intents, the search of each view, the classifier), and each reading
 * otherwise repeats the same Unicode normalisation and character conversion.
 */
function remembered(read: (text: string) => string, size = 64): (text: string) => string {
  const known = new Map<string, string>();
  return (text) => {
    let result = known.get(text);
    if (result === undefined) {
      result = read(text);
      if (known.size >= size) known.clear();
      known.set(text, result);
    }
    return result;
  };
}

/**
 * Plain text, lower case, punctuation and symbols → single spaces. An apostrophe inside a word
 * joins it ("don't" → "dont", "I'd" → "id"), as people who skip it type it anyway: one spelling
 * for the rules and the search to read.
 */
export const normalize = remembered((text: string) =>
  plainText(text)
    .toLowerCase()
    .replace(/(?<=\p{L})['’](?=\p{L})/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim(),
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function buildRewriter(table: Record<string, string[]>, wholeWords: boolean): (text: string) => string {
  const canonicalOf = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(table)) {
    for (const variant of variants) canonicalOf.set(normalize(variant), canonical);
  }
  const alternatives = [...canonicalOf.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const body = `(?:${alternatives.join('|')})`;
  // A whole word ends at anything but a Latin letter or digit: "account被锁" has the word "account".
  const pattern = new RegExp(wholeWords ? `(?<![\\p{Script=Latin}\\p{N}])${body}(?![\\p{Script=Latin}\\p{N}])` : body, 'gu');
  return (text) => text.replace(pattern, (match) => canonicalOf.get(match) ?? match);
}

const rewriteZh = buildRewriter(ZH_SYNONYMS, false);

/**
 * What carries no subject in a Chinese support message ("请问", "想知道", "问一下", "麻烦",
 * particles, and "步骤" / "流程", which ask how without saying what): dropped before indexing
 * and searching, so that one rare bigram of politeness ("想知道") or of procedure ("解锁需要哪些
 * 步骤" beside "更换手机号码的步骤是啥") cannot outweigh the words that say what the question is about.
 */
const ZH_FILLERS = new RegExp(
  ['我想知道', '想知道', '不知道', '想问一下', '想问下', '想问问', '我想问', '想问', '问一下', '问下', '问问', '请问', '咨询一下', '咨询下', '打听一下', '了解一下', '麻烦', '你好', '您好', '谢谢', '就是', '那个', '一下', '呢', '啊', '呀', '哈', '嘛', '具体步骤', '操作步骤', '步骤', '流程'].join('|'),
  'g',
);
const rewriteEn = buildRewriter(EN_SYNONYMS, true);
const rewriteEnInZh = buildRewriter(EN_IN_ZH, true);

/**
 * Normalized text with domain synonyms folded to one spelling. Chinese text often mixes
 * in English words ("sms code收不到"), so zh-CN applies both tables; en-US only its own.
 */
const canonicalZh = remembered((text) => rewriteEnInZh(rewriteEn(rewriteZh(normalize(text)).replace(ZH_FILLERS, ' '))).replace(/ {2,}/g, ' ').trim());
/** What turns an English chat to its next question without saying what it is about ("different question, …", "btw"). */
const EN_FILLERS = /\b(?:(?:a |one )?(?:different|another|other|new|quick|last) question|one more thing|one more question|by the way|btw|also)\b/g;
const canonicalEn = remembered((text) => rewriteEn(normalize(text)).replace(EN_FILLERS, ' ').replace(/ {2,}/g, ' ').trim());

/** English words in Chinese text in their Chinese form ("帮我unlock一下" → "帮我解锁一下"), for rules written in Chinese. */
export const englishInChinese = remembered((normalized: string) => rewriteEnInZh(rewriteEn(normalized)));

export function canonicalize(text: string, locale: Locale): string {
  return locale === 'zh-CN' ? canonicalZh(text) : canonicalEn(text);
}

const EN_STOPWORDS = new Set(
  'a an the i me my mine you your to of in on for and or is are am was were be been it its this that do does did can could would should will with at by from please pls plz hi hello hey there have has had so just about any some'.split(' '),
);

/** English word folding good enough for short support questions: plural and -ing/-ed. */
function stemEnglish(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Index terms of a text: Chinese runs give character unigrams and bigrams (Chinese has
 * no spaces and whole-word segmenters split finance words); Latin runs give stemmed words
 * without stop words; digit runs are kept whole.
 */
export function tokenize(text: string, locale: Locale): string[] {
  const terms: string[] = [];
  for (const run of canonicalize(text, locale).split(' ')) {
    if (!run) continue;
    for (const part of run.match(/\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu) ?? []) {
      if (HAN.test(part)) {
        const chars = [...part];
        chars.forEach((char, i) => {
          terms.push(char);
          const next = chars[i + 1];
          if (next !== undefined) terms.push(char + next);
        });
      } else if (!EN_STOPWORDS.has(part)) {
        terms.push(stemEnglish(part));
      }
    }
  }
  return terms;
}

/** Words that make Latin letters English rather than noise ("asdfgh") or a stray term ("app"). */
const EN_WORDS = new Set([
  ...EN_STOPWORDS,
  ...'how what why when where who which not no yes need want help get got cant can\'t dont don\'t doesnt isnt won\'t wont still again now my account phone number code password unlock locked lock change closed appeal status agent human person support wallet card bank sms message login sign'.split(' '),
]);

const EN_VOCABULARY = new Set(
  [...EN_WORDS, ...[EN_SYNONYMS, EN_IN_ZH].flatMap((table) => Object.entries(table).flatMap(([canonical, variants]) => [canonical, ...variants]))].flatMap((w) => normalize(w).split(' ')),
);

/** An English word the knowledge base's tables know ("code", "locked"): never read as pinyin. */
export function isEnglishWord(word: string): boolean {
  const w = word.toLowerCase();
  return EN_VOCABULARY.has(w) || EN_VOCABULARY.has(stemEnglish(w));
}

/**
 * zh-CN when the text has Chinese characters; en-US only for English words ("how do I
 * unlock", "help"), not for letters typed at random, a lone "ok" or "app"; else undefined, and
 * the conversation keeps its language.
 */
export function detectLocale(text: string): 'zh-CN' | 'en-US' | undefined {
  if (HAN.test(text)) return 'zh-CN';
  const words = (plainText(text).toLowerCase().match(/[a-z']{2,}/g) ?? []).map((w) => w.replace(/'/g, ''));
  const meaningful = words.filter((w) => !/^(ok|okay|yes|no|hi|app|id|sms|otp)$/.test(w));
  const english = words.filter((w) => EN_WORDS.has(w) || EN_WORDS.has(stemEnglish(w)));
  return meaningful.length >= 1 && words.join('').length >= 4 && english.length >= 1 ? 'en-US' : undefined;
}
