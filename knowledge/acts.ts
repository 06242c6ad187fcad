import type { Act, ActEntry, Locale } from './schema';
import { classifierTraining, type EntryClassifier } from './classifier';
import { atOnce, type Sliced } from './slices';
import { plainText } from './text';

/**
 * Conversation acts read from what a message is made of (pure). Two readings, both from the
 * act examples in the knowledge base:
 *
 * - **Made of act words.** The message, particles, emoji and padding aside, is a sequence of
 *   act examples: "好呀👌" is 好 + 呀, "嗯嗯 行的" is 嗯嗯 + 行 + 的, "好的明白了 多谢" is affirm + ack +
 *   thanks, "ok ty!!" is affirm + thanks. Every act in it is reported; which one the
 *   conversation acts on depends on what the bot just asked (the root machine's guards).
 * - **Close to a sentence-like act.** "你这破机器人根本听不懂人话啊" is no sequence of examples but is
 *   close to "你这机器人听不懂人话" (the Dice coefficient of their characters and character pairs);
 *   a close enough match is reported with its score, and dialogs/commands.ts `read` lets a sure
 *   answer to the message win over it.
 *
 * A correction ("说错了，是…", "no wait, I meant…") is found anywhere in the message; what follows
 * the last marker is what the user meant, and is routed instead of the whole.
 */

export interface ActReading {
  /** Every act the message is made of, in order; one element for a close match. */
  acts: Act[];
  /** How the reading was made: the whole message, or a match this close (0–1) to one example. */
  exact: boolean;
  score: number;
}

/**
 * A message that is more than acts, read clause by clause: "不用了 我自己去app里改" opens with a
 * denial, "好 链接收到了 谢谢" closes with thanks, "行 那麻烦你帮我弄一下" opens with a yes.
 */
export interface ClauseActs {
  /** The acts of the first clause, when it is made of act words only. */
  lead: Act[];
  /** The acts of the last clause, likewise. */
  tail: Act[];
}

export interface Correction {
  /** What the user meant: the text after the last correction marker. */
  meant: string;
}

/** Characters that carry tone, not meaning, in a short Chinese reply ("好呀", "行的", "嗯嗯 好吧"). */
const ZH_FILLERS = new Set([...'啊呀吧呢哦噢嘛啦哈嘞咯呐哟喔的了额呃诶欸哎唉那就亲哇耶呗嗷']);
/** Words that pad a short English reply ("oh ok then", "ok ty man"). */
const EN_FILLERS = new Set(['oh', 'well', 'um', 'uh', 'hmm', 'then', 'just', 'so', 'lol', 'man', 'mate', 'pls', 'plz', 'haha', 'ah', 'and', 'a', 'lot', 'now']);
/** Emoji that say something (the rest are dropped with other symbols). */
const EMOJI_WORDS: Record<string, string> = { '👌': ' ok ', '🙏': ' thanks ' };

/** Sentence-like acts a close match may stand for; short replies must be read exactly. */
const CLOSE_MATCH_ACTS: ReadonlySet<Act> = new Set(['repeat', 'not-understood', 'bot-challenge', 'human-indirect', 'goodbye', 'thanks']);
/**
 * How close a message must be to an act example to count as that act: the Dice coefficient of
 * their characters and character pairs (words and word pairs in English). Set by hand and
 * checked on the dev conversation sets; a sure answer to the message wins anyway.
 */
const CLOSE_MATCH = 0.6;
/** Longer messages carry a question of their own; only exact readings apply to them. */
const MAX_CLOSE_CHARS = 24;

/** The text as acts read it: emoji that say something as words, plain, lower case. */
function plainForm(text: string): string {
  let plain = text;
  for (const [emoji, words] of Object.entries(EMOJI_WORDS)) plain = plain.split(emoji).join(words);
  return plainText(plain).toLowerCase().replace(/[’']/g, '');
}

interface Unit {
  text: string;
  start: number;
  end: number;
}

/** A message as a sequence of units: each Chinese character, and each run of other letters or digits ("ok好的" is "ok", "好", "的"). */
function unitsIn(plain: string): Unit[] {
  return [...plain.matchAll(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu)].map((m) => ({ text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
}

const unitsOf = (text: string) => unitsIn(plainForm(text)).map((u) => u.text);

interface Lexicon {
  /** Each example's units, longest first, with its act, by its first unit. */
  byFirst: ReadonlyMap<string, { units: string[]; act: Act }[]>;
  /** Correction markers' units. */
  markers: string[][];
}

function lexiconOf(entries: readonly ActEntry[]): Lexicon {
  const words = entries
    .flatMap((entry) => [entry.question, ...entry.alternates].map((text) => ({ units: unitsOf(text), act: entry.act })))
    .filter((w) => w.units.length > 0)
    .sort((a, b) => b.units.length - a.units.length);
  const byFirst = new Map<string, { units: string[]; act: Act }[]>();
  for (const word of words) byFirst.set(word.units[0] ?? '', [...(byFirst.get(word.units[0] ?? '') ?? []), word]);
  return { byFirst, markers: words.filter((w) => w.act === 'correction').map((w) => w.units) };
}

/** Longer than this, a message is more than acts: only its clauses are read for them. */
const MAX_ACT_UNITS = 40;

const fillersOf = (locale: Locale) => (locale === 'zh-CN' ? ZH_FILLERS : EN_FILLERS);

/** Units and pairs of neighbouring units, fillers left out. */
function termsOf(units: readonly string[], fillers: ReadonlySet<string>): ReadonlySet<string> {
  const kept = units.filter((u) => !fillers.has(u));
  return new Set([...kept, ...kept.slice(1).map((u, i) => `${kept[i]}\u0000${u}`)]);
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return (2 * shared) / (a.size + b.size);
}

const startsWithAt = (units: readonly string[], at: number, word: readonly string[]) => word.every((unit, i) => units[at + i] === unit);

/**
 * The message as a sequence of act words and fillers with the fewest fillers, or undefined
 * when some part of it is neither. Fillers may not outnumber the words' units: "的了吧" is no
 * reply.
 */
function segment(units: readonly string[], lexicon: Lexicon, fillers: ReadonlySet<string>): Act[] | undefined {
  const n = units.length;
  if (n > MAX_ACT_UNITS) return undefined;
  // best[i]: fewest fillers to cover units[0..i), with the acts found on the way.
  const best: ({ fillers: number; covered: number; acts: Act[] } | undefined)[] = Array.from({ length: n + 1 }, () => undefined);
  best[0] = { fillers: 0, covered: 0, acts: [] };
  for (let i = 0; i < n; i++) {
    const here = best[i];
    if (!here) continue;
    const offer = (to: number, next: { fillers: number; covered: number; acts: Act[] }) => {
      const current = best[to];
      if (!current || next.fillers < current.fillers || (next.fillers === current.fillers && next.acts.length < current.acts.length)) best[to] = next;
    };
    for (const word of lexicon.byFirst.get(units[i] ?? '') ?? []) {
      if (i + word.units.length <= n && startsWithAt(units, i, word.units)) {
        offer(i + word.units.length, { fillers: here.fillers, covered: here.covered + word.units.length, acts: [...here.acts, word.act] });
      }
    }
    if (fillers.has(units[i] ?? '')) offer(i + 1, { fillers: here.fillers + 1, covered: here.covered, acts: here.acts });
  }
  const end = best[n];
  return end && end.acts.length > 0 && end.fillers <= end.covered ? end.acts : undefined;
}

export interface ActReader {
  /** The acts a message is, or undefined when it asks or says something else. */
  read(text: string, locale: Locale): ActReading | undefined;
  /** A correction marker with something after it: what the user meant instead. */
  correction(text: string, locale: Locale): Correction | undefined;
  /** The acts that open and close a message of several clauses. */
  clauses(text: string, locale: Locale): ClauseActs;
}

/** Clause breaks: punctuation, and in Chinese spaces too (typed for a comma). */
const CLAUSE_BREAK: Record<Locale, RegExp> = { 'zh-CN': /[\s，,。.!！?？;；、…~～]+/u, 'en-US': /[，,。.!！?？;；…~～]+/u };

/** Leading words that only re-introduce what the user meant ("是…", "我是说…"). */
const ZH_MEANT_LEAD = /^[，,。.\s…]*(?:我的意思是|我是说|我是想说|其实是|应该是|我是|是)?/u;
/** "不是查进度，我是要重新交申诉": what the user is not after, then what they are. */
const ZH_NOT_BUT = /^不是[^，,。\s]{1,12}[，,。\s]+(?:我是|是)(.+)$/u;
/** Denials that correct when a clause follows them: "不对，是账号被封了", "不是，我要解锁". */
const DENIAL_MARKERS = ['不对', '不是', 'no', 'nope'];
/** What must follow such a denial: in English a comma or stop ("no thanks" is a plain no). */
const DENIAL_BREAK: Record<Locale, RegExp> = { 'zh-CN': /^[\s，,。.!！…]/u, 'en-US': /^\s*[,.!…;]/u };
const EN_MEANT_LEAD = /^[\s,.…-]*(?:i meant|i mean|what i meant was|actually)?[\s,.…-]*/i;

/**
 * The other reading of a sentence-like act: a classifier (the one routing uses for entries)
 * trained on the act examples against every question phrasing, which learns the words that make
 * an act ("manager", "主管", "机器人") rather than one example's wording. Its act is taken when
 * it is this sure and the message is short enough to be a remark rather than a question: on the
 * second dev set 0.6–0.8 gave the same figures (dev2 conversations 92 → 94 % zh, 85 → 88 % en,
 * nothing lost on the first), 0.5 let questions through as acts.
 */
const ACT_CLASSIFIER_SURE = 0.8;
const MAX_CLASSIFIED_UNITS: Record<Locale, number> = { 'zh-CN': 24, 'en-US': 14 };
const NOT_AN_ACT = '(question)';

/**
 * Question phrasings per language the act classifier contrasts the acts with, at most: plenty to
 * learn what a question looks like (today's base has about 800), and a bound on what a large base
 * costs at every publication (at 1 000 entries its ~11 000 phrasings made this training the
 * largest part of a build). Beyond it, phrasings spread evenly over the base are taken.
 */
export const MAX_QUESTION_EXAMPLES = 3000;

/** At most `max` of `items`, spread evenly over them, in their order. */
export function spreadSample<T>(items: readonly T[], max: number): readonly T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

/** The last sentence of a text of several, or undefined when it is one sentence. */
function lastSentence(text: string): string | undefined {
  const sentences = text.split(/(?<=[.!?。！？])\s*/u).filter((s) => /[\p{L}\p{N}]/u.test(s));
  return sentences.length > 1 ? sentences.at(-1) : undefined;
}

export function createActReader(entries: readonly ActEntry[], questions: readonly { locale: Locale; text: string }[] = []): ActReader {
  return atOnce(actReaderBuilding(entries, questions));
}

/** `createActReader` as work that pauses while it trains (see slices.ts). */
export function* actReaderBuilding(entries: readonly ActEntry[], questions: readonly { locale: Locale; text: string }[] = []): Sliced<ActReader> {
  const classifiers: Record<Locale, EntryClassifier | undefined> = { 'zh-CN': undefined, 'en-US': undefined };
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const examples = [
      ...entries.filter((e) => e.locale === locale && CLOSE_MATCH_ACTS.has(e.act)).flatMap((e) => [e.question, ...e.alternates].map((text) => ({ label: e.act, text }))),
      ...spreadSample(questions.filter((q) => q.locale === locale), MAX_QUESTION_EXAMPLES).map((q) => ({ label: NOT_AN_ACT, text: q.text })),
    ];
    classifiers[locale] = questions.length > 0 ? yield* classifierTraining(examples, locale) : undefined;
  }
  const lexicons: Record<Locale, Lexicon> = {
    'zh-CN': lexiconOf(entries.filter((e) => e.locale === 'zh-CN')),
    'en-US': lexiconOf(entries.filter((e) => e.locale === 'en-US')),
  };
  const close: Record<Locale, { terms: ReadonlySet<string>; act: Act }[]> = { 'zh-CN': [], 'en-US': [] };
  for (const entry of entries) {
    if (!CLOSE_MATCH_ACTS.has(entry.act)) continue;
    for (const text of [entry.question, ...entry.alternates]) close[entry.locale].push({ terms: termsOf(unitsOf(text), fillersOf(entry.locale)), act: entry.act });
  }

  return {
    read(text, locale) {
      const units = unitsOf(text);
      if (units.length === 0) return undefined;
      const acts = segment(units, lexicons[locale], fillersOf(locale));
      if (acts) return { acts, exact: true, score: 1 };
      // A long message's last sentence may be the act ("…twenty minutes and nothing is solved. Can someone just call me?").
      const remark = units.length <= MAX_CLASSIFIED_UNITS[locale] ? text : lastSentence(text);
      const classified = remark !== undefined && unitsOf(remark).length <= MAX_CLASSIFIED_UNITS[locale] ? classifiers[locale]?.predict(remark, 1)[0] : undefined;
      const byClass = classified && classified.label !== NOT_AN_ACT && classified.probability >= ACT_CLASSIFIER_SURE ? { act: classified.label as Act, score: classified.probability } : undefined;
      if ([...text].length > MAX_CLOSE_CHARS) return byClass ? { acts: [byClass.act], exact: false, score: byClass.score } : undefined;
      const terms = termsOf(units, fillersOf(locale));
      let best: { act: Act; score: number } | undefined;
      for (const example of close[locale]) {
        const score = dice(terms, example.terms);
        if (!best || score > best.score) best = { act: example.act, score };
      }
      const byExample = best && best.score >= CLOSE_MATCH ? best : undefined;
      // Both readings may name an act: the surer one speaks (its score weighs against an answer).
      const reading = byExample && byClass ? (byClass.score > byExample.score ? byClass : byExample) : (byExample ?? byClass);
      return reading ? { acts: [reading.act], exact: false, score: reading.score } : undefined;
    },
    clauses(text, locale) {
      const actsOf = (units: readonly string[]) => segment(units, lexicons[locale], fillersOf(locale)) ?? [];
      if (locale === 'en-US') {
        // English runs on without commas ("yep check it for me", "ok thanks bye"): the longest run of act words at either end.
        const words = unitsOf(text);
        const ends = (take: (n: number) => string[]) => {
          for (let n = Math.min(words.length - 1, MAX_ACT_UNITS); n >= 1; n--) {
            const acts = actsOf(take(n));
            if (acts.length > 0) return acts;
          }
          return [];
        };
        return { lead: ends((n) => words.slice(0, n)), tail: ends((n) => words.slice(words.length - n)) };
      }
      const clauses = text.split(CLAUSE_BREAK[locale]).filter((c) => /[\p{L}\p{N}]/u.test(c));
      if (clauses.length < 2) return { lead: [], tail: [] };
      return { lead: actsOf(unitsOf(clauses[0] ?? '')), tail: actsOf(unitsOf(clauses.at(-1) ?? '')) };
    },
    correction(text, locale) {
      const plain = plainForm(text);
      const units = unitsIn(plain);
      const words = units.map((u) => u.text);
      const { markers } = lexicons[locale];
      let after: number | undefined;
      for (let i = 0; i < units.length; i++) {
        // A marker opens a clause: "密码打错了好几次" tells what happened, "打错了，是…" corrects.
        const opensClause = i === 0 || units[i]!.start > units[i - 1]!.end;
        if (!opensClause) continue;
        const marker = markers.find((m) => startsWithAt(words, i, m));
        if (marker && i + marker.length < units.length) after = units[i + marker.length - 1]!.end;
        // "不对" and "不是" correct only with a break after them ("不是我本人操作的" is a statement).
        const denial = DENIAL_MARKERS.find((m) => words[i] === m || (locale === 'zh-CN' && plain.startsWith(m, units[i]!.start)));
        const end = denial ? units[i]!.start + denial.length : 0;
        if (denial && DENIAL_BREAK[locale].test(plain.slice(end)) && /[\p{L}\p{N}]/u.test(plain.slice(end))) after = end;
      }
      const whole = after === undefined ? plain.trim() : plain.slice(after);
      let meant = whole.replace(locale === 'zh-CN' ? ZH_MEANT_LEAD : EN_MEANT_LEAD, '').trim();
      if (locale === 'zh-CN') {
        // "不是换号 我是账号被锁了要解锁": what the user is not after, then what they are.
        const notBut = ZH_NOT_BUT.exec(meant);
        if (notBut?.[1]) meant = notBut[1].trim();
        else if (after === undefined) return undefined;
        meant = meant.replace(ZH_MEANT_LEAD, '').replace(/^(要|想)/u, '我$1');
      } else if (after === undefined) {
        return undefined;
      }
      return /[\p{L}\p{N}]/u.test(meant) ? { meant } : undefined;
    },
  };
}
