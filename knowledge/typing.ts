import { pinyin } from 'pinyin-pro';
import { isEnglishWord, normalize, plainText } from './text';
import { atOnce, type Sliced } from './slices';

/**
 * What a Chinese user meant to type. A pinyin input method offers every character with the
 * sound typed, so the wrong one is picked ("验证吗", "账户结冻", "申述") or the pinyin itself is
 * sent ("yanzhengma 收不到", "jie suo zhang hu"). Both are read back into the characters the
 * knowledge base uses, with the knowledge base's own character pairs as the language model:
 * a noisy channel where the channel is "same sound" and the prior is how often a pair occurs.
 */
export interface TypingCorrector {
  /** The text with pinyin turned into characters and mistyped homophones replaced. */
  correct(text: string): string;
}

/** How often a pair must occur in the phrasings to count as a word of its own. */
const ANCHORED = 3;
/** A pinyin reading is taken only when at least this share of its character pairs are known. */
const MIN_KNOWN_PAIRS = 0.5;
/** Longest Latin run read as pinyin (a sentence, not a pasted token). */
const MAX_PINYIN_LETTERS = 60;
/**
 * Particles end questions ("能换号吗", "收到了吗"): one is never read as the last character of a
 * two-character word ("号码"), only inside a longer one whose other characters agree ("验证吗").
 */
const PARTICLES = new Set([...'吗嘛么呢吧啊呀哦了的']);

const HAN_RUN = /\p{Script=Han}+/gu;
/** Latin words standing alone, not parts of a case id or a code ("AP-20261123-7K3Q", "4g"). */
const LATIN_WORD = /(?<![A-Za-z0-9-])[A-Za-z]+(?![A-Za-z0-9-])/g;
const LATIN_RUN = /(?<![A-Za-z0-9-])[A-Za-z]+(?: +[A-Za-z]+)*(?![A-Za-z0-9-])/g;

/**
 * The sounds pinyin input methods let users merge (their 模糊音 settings), because many speakers
 * do not tell them apart: z/zh, c/ch, s/sh, n/l, an/ang, en/eng, in/ing. "申述" is typed for 申诉.
 */
function fuzzySound(reading: string): string {
  return reading.replace(/^([zcs])h/, '$1').replace(/^l/, 'n').replace(/([aei])ng$/, '$1n');
}

/** The reading a character usually has (还 is hai, not huan). */
function primaryReading(char: string): string {
  return pinyin(char, { toneType: 'none' });
}

/** Toneless readings of one character (all of them: 行 is xing and hang). */
function readingsOf(char: string): string[] {
  return pinyin(char, { toneType: 'none', type: 'array', multiple: true }).filter((r) => /^[a-z]+$/.test(r));
}

class Vocabulary {
  readonly pairs = new Map<string, number>();
  readonly chars = new Map<string, number>();
  /** Known characters by toneless reading. */
  readonly bySound = new Map<string, string[]>();
  /** Readings of known characters, and of others as they are met (bounded: Han is finite). */
  private readonly sounds = new Map<string, string[]>();
  /** Domain words by their pattern with one character blanked ("解_" → 解锁, 解冻 …). */
  readonly wordsByPattern = new Map<string, string[]>();
  readonly words = new Set<string>();
  /** The table's own misspellings, each with the word it misspells ("申述" → 申诉). */
  readonly misspellings = new Map<string, string>();
  longestSyllable = 0;

  /** Learns from the phrasings and domain words, pausing between them (see slices.ts). */
  *learn(phrasings: readonly string[], domainWords: readonly string[]): Sliced<void> {
    const texts = phrasings.map((text) => normalize(text));
    for (const text of texts) {
      yield;
      for (const run of text.match(HAN_RUN) ?? []) {
        const chars = [...run];
        chars.forEach((char, i) => {
          this.chars.set(char, (this.chars.get(char) ?? 0) + 1);
          const next = chars[i + 1];
          if (next !== undefined) this.pairs.set(char + next, (this.pairs.get(char + next) ?? 0) + 1);
        });
      }
    }
    const candidates = [...new Set(domainWords.map((w) => normalize(w)).filter((w) => /^\p{Script=Han}{2,4}$/u.test(w)))];
    const uses = (word: string) => texts.reduce((sum, text) => sum + text.split(word).length - 1, 0);
    const used = new Map<string, number>();
    for (const word of candidates) {
      used.set(word, uses(word));
      yield;
    }
    // A table lists misspellings too ("申述", "验证吗"): of two words one sound-alike character
    // apart, the one the phrasings use less is a misspelling of the other, never a target.
    const correctionOf = (word: string) =>
      candidates.find((other) => other !== word && this.oneSoundAlikeApart(word, other) && (used.get(other) ?? 0) > (used.get(word) ?? 0));
    for (const word of candidates) {
      yield;
      const correction = correctionOf(word);
      if (correction !== undefined) this.misspellings.set(word, correction);
    }
    for (const word of candidates.filter((w) => !this.misspellings.has(w))) {
      this.words.add(word);
      const chars = [...word];
      chars.forEach((_, i) => {
        const pattern = chars.map((c, j) => (j === i ? '_' : c)).join('');
        const list = this.wordsByPattern.get(pattern);
        if (list) list.push(word);
        else this.wordsByPattern.set(pattern, [word]);
      });
    }
    let longest = 0;
    for (const char of this.chars.keys()) {
      yield;
      for (const reading of this.readings(char)) {
        const list = this.bySound.get(reading);
        if (list) list.push(char);
        else this.bySound.set(reading, [char]);
        longest = Math.max(longest, reading.length);
      }
    }
    this.longestSyllable = longest;
  }

  readings(char: string): string[] {
    let found = this.sounds.get(char);
    if (found === undefined) {
      if (this.sounds.size > 100_000) this.sounds.clear();
      found = readingsOf(char);
      this.sounds.set(char, found);
    }
    return found;
  }

  private oneSoundAlikeApart(a: string, b: string): boolean {
    const [x, y] = [[...a], [...b]];
    if (x.length !== y.length) return false;
    const apart = x.map((c, i) => [c, y[i]!] as const).filter(([c, d]) => c !== d);
    return apart.length === 1 && this.soundAlike(apart[0]![0], apart[0]![1], true);
  }

  /**
   * Whether `typed` is what an input method offers for `meant`: the typed character's usual
   * reading is one of the meant character's ("结" jie for 解; not 还 for 换, whose huan is rare).
   */
  typedFor(typed: string, meant: string): boolean {
    return this.readings(meant).includes(primaryReading(typed));
  }

  /** Same toneless sound; `fuzzy` as an input method with its fuzzy-sound options hears it (s/sh, en/eng …). */
  soundAlike(a: string, b: string, fuzzy = false): boolean {
    const hear = fuzzy ? fuzzySound : (r: string) => r;
    const theirs = this.readings(b).map(hear);
    return this.readings(a).some((r) => theirs.includes(hear(r)));
  }

  pair(a: string, b: string): number {
    return this.pairs.get(a + b) ?? 0;
  }
}

/**
 * Mistyped homophones: a window of two or three characters that is not a domain word but
 * becomes one when a single character is swapped for one of the same sound, the others
 * kept ("结冻" → 解冻, "被所" → 被锁, "验证吗" → 验证码). The kept characters anchor the reading, so
 * a phrase that merely sounds like one of ours ("好吗" for 号码) is left alone.
 */
function correctHomophones(run: string, vocabulary: Vocabulary): string {
  let text = run;
  for (const [misspelt, word] of vocabulary.misspellings) text = text.split(misspelt).join(word);
  const chars = [...text];
  for (const length of [3, 2]) {
    for (let from = 0; from + length <= chars.length; from++) {
      const window = chars.slice(from, from + length);
      if (vocabulary.words.has(window.join(''))) continue;
      for (let i = 0; i < length; i++) {
        const typed = window[i]!;
        if (length === 2 && i === 1 && PARTICLES.has(typed)) continue;
        // A character that makes a common pair with either neighbour is a word as typed
        // ("做什么来" is not "做什没来").
        const at = from + i;
        if (vocabulary.pair(chars[at - 1] ?? '', typed) >= ANCHORED || vocabulary.pair(typed, chars[at + 1] ?? '') >= ANCHORED) continue;
        const pattern = window.map((c, j) => (j === i ? '_' : c)).join('');
        const word = vocabulary.wordsByPattern.get(pattern)?.find((w) => vocabulary.typedFor(typed, [...w][i]!));
        if (word === undefined) continue;
        chars[from + i] = [...word][i]!;
        break;
      }
    }
  }
  return chars.join('');
}

/** Every way to cut a Latin run into known syllables, as a lattice: syllables starting at each offset. */
function syllableLattice(letters: string, vocabulary: Vocabulary): string[][] {
  const starts: string[][] = [];
  for (let from = 0; from < letters.length; from++) {
    const found: string[] = [];
    for (let length = 1; length <= vocabulary.longestSyllable && from + length <= letters.length; length++) {
      const syllable = letters.slice(from, from + length);
      if (vocabulary.bySound.has(syllable)) found.push(syllable);
    }
    starts.push(found);
  }
  return starts;
}

/**
 * Pinyin letters ("yanzhengma", "jiesuozhanghu") as the likeliest characters: a Viterbi walk
 * over syllable cuts and the known characters of each syllable, scored by how common each
 * character pair is. Undefined when no cut reads as something the knowledge base says.
 */
function hanFromPinyin(letters: string, vocabulary: Vocabulary): string | undefined {
  if (letters.length > MAX_PINYIN_LETTERS) return undefined;
  const lattice = syllableLattice(letters, vocabulary);
  type Path = { text: string; last: string; score: number; pairs: number; known: number };
  // best[offset] maps the last character to the best path ending there.
  const best: Map<string, Path>[] = Array.from({ length: letters.length + 1 }, () => new Map());
  best[0]!.set('', { text: '', last: '', score: 0, pairs: 0, known: 0 });
  for (let offset = 0; offset < letters.length; offset++) {
    for (const path of best[offset]!.values()) {
      for (const syllable of lattice[offset]!) {
        for (const char of vocabulary.bySound.get(syllable) ?? []) {
          const count = path.last ? vocabulary.pair(path.last, char) : 0;
          const next: Path = {
            text: path.text + char,
            last: char,
            // A known pair earns its frequency; an unknown one costs; a lone character's own frequency breaks ties.
            score: path.score + (path.last ? (count > 0 ? Math.log(1 + count) : -2) : 0) + 0.01 * Math.log(1 + (vocabulary.chars.get(char) ?? 0)),
            pairs: path.pairs + (path.last ? 1 : 0),
            known: path.known + (count > 0 ? 1 : 0),
          };
          const end = best[offset + syllable.length]!;
          const current = end.get(char);
          if (!current || next.score > current.score) end.set(char, next);
        }
      }
    }
  }
  const ends = [...best[letters.length]!.values()];
  const winner = ends.sort((a, b) => b.score - a.score)[0];
  if (!winner || winner.pairs === 0 || winner.known / winner.pairs < MIN_KNOWN_PAIRS) return undefined;
  return winner.text;
}

/** A Latin word that may be pinyin in a Chinese message: not an English word we know ("code", "locked"). */
function mayBePinyin(word: string, vocabulary: Vocabulary): boolean {
  return !isEnglishWord(word) && segmentable(word, vocabulary);
}

/** Cuttable into known syllables end to end. */
function segmentable(word: string, vocabulary: Vocabulary): boolean {
  if (!/^[a-z]+$/.test(word)) return false;
  const lattice = syllableLattice(word, vocabulary);
  const reachable = new Array<boolean>(word.length + 1).fill(false);
  reachable[0] = true;
  for (let offset = 0; offset < word.length; offset++) {
    if (!reachable[offset]) continue;
    for (const syllable of lattice[offset]!) reachable[offset + syllable.length] = true;
  }
  return reachable[word.length]!;
}

/**
 * Pinyin in a message read as characters. In a message with Chinese characters any run of
 * pinyin words is; a message in Latin letters alone only when every word is pinyin, so an
 * English sentence is never half-read as Chinese.
 */
function convertPinyin(text: string, vocabulary: Vocabulary): string {
  const hasHan = /\p{Script=Han}/u.test(text);
  const words = (text.match(LATIN_WORD) ?? []).map((w) => w.toLowerCase());
  if (words.length === 0) return text;
  // Latin letters alone are pinyin only when every word is ("shou ji hao zen me huan": "me" is
  // English too) and some word is no English at all.
  const allPinyin = !hasHan && words.every((w) => segmentable(w, vocabulary)) && words.some((w) => !isEnglishWord(w));
  if (!hasHan && !allPinyin) return text;
  const joins = (word: string) => (allPinyin ? segmentable(word, vocabulary) : mayBePinyin(word, vocabulary));
  // Runs of pinyin words separated by spaces only ("jie suo zhang hu") are read together.
  return text.replace(LATIN_RUN, (run) => {
    const parts = run.toLowerCase().split(/ +/);
    let out = '';
    let pending: string[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const han = hanFromPinyin(pending.join(''), vocabulary);
      out += (out ? ' ' : '') + (han ?? pending.join(' '));
      pending = [];
    };
    for (const part of parts) {
      if (joins(part)) pending.push(part);
      else {
        flush();
        out += (out ? ' ' : '') + part;
      }
    }
    flush();
    return out;
  });
}

/**
 * Learns the knowledge base's character pairs and sounds from its Chinese phrasings and
 * domain words, once when it loads.
 */
export function learnTyping(phrasings: readonly string[], domainWords: readonly string[]): TypingCorrector {
  return atOnce(typingLearning(phrasings, domainWords));
}

/** `learnTyping` as work that pauses (see slices.ts). */
export function* typingLearning(phrasings: readonly string[], domainWords: readonly string[]): Sliced<TypingCorrector> {
  const vocabulary = new Vocabulary();
  yield* vocabulary.learn(phrasings, domainWords);
  return {
    correct(text) {
      return convertPinyin(plainText(text), vocabulary).replace(HAN_RUN, (run) => correctHomophones(run, vocabulary));
    },
  };
}
