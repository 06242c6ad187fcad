import levenshtein from 'damerau-levenshtein';
import { isOrdinaryEnglish } from './englishWords';
import { atOnce, type Sliced } from './slices';

/**
 * What an English-typing user meant ("unlok my acount", "chnage numbr"): each word that is
 * neither ordinary English nor settled in the knowledge base's phrasings is read as the
 * phrasings' more used word one slip away (a letter missing, extra, wrong or two swapped; two
 * slips for long words), the most used one when several are. A word with no such neighbour stays as typed: it may be a
 * name ("venmo"), which routing must see as someone else's.
 */
export interface SpellingCorrector {
  correct(text: string): string;
}

/** Shorter words have too many neighbours one slip away ("code" / "core" / "cold") to guess. */
const MIN_LETTERS = 4;
/** From this length two slips still leave the word recognisable ("permanantly"). */
const TWO_SLIPS_FROM = 8;
/**
 * A word the phrasings use this often is theirs as typed. Rarer ones may be the typos the
 * knowledge base keeps as alternates on purpose ("apeal"): a more used word a slip away is
 * what they mean ("appeal"), which the rules that start flows are written with.
 */
const SETTLED = 3;
/** Corrections remembered per process: the same typo comes back often, the vocabulary is fixed. */
const MAX_REMEMBERED = 4096;

const LATIN_WORD = /(?<![A-Za-z0-9-])[A-Za-z]+(?![A-Za-z0-9-])/g;

export function learnSpelling(phrasings: readonly string[]): SpellingCorrector {
  return atOnce(spellingLearning(phrasings));
}

/** `learnSpelling` as work that pauses after each phrasing (see slices.ts). */
export function* spellingLearning(phrasings: readonly string[]): Sliced<SpellingCorrector> {
  const counts = new Map<string, number>();
  for (const phrasing of phrasings) {
    for (const [word] of phrasing.toLowerCase().matchAll(LATIN_WORD)) counts.set(word, (counts.get(word) ?? 0) + 1);
    yield;
  }
  // Candidates by length, so a typo is compared only with words it could be a slip or two of.
  const byLength = new Map<number, string[]>();
  for (const word of counts.keys()) if (word.length >= MIN_LETTERS - 1) byLength.set(word.length, [...(byLength.get(word.length) ?? []), word]);
  const remembered = new Map<string, string>();

  const meant = (typed: string): string => {
    const word = typed.toLowerCase();
    const seen = counts.get(word) ?? 0;
    if (word.length < MIN_LETTERS || seen >= SETTLED || isOrdinaryEnglish(word)) return typed;
    const known = remembered.get(word);
    if (known !== undefined) return known;
    const slips = word.length >= TWO_SLIPS_FROM ? 2 : 1;
    let best: string | undefined;
    for (let length = word.length - slips; length <= word.length + slips; length++) {
      for (const candidate of byLength.get(length) ?? []) {
        if ((counts.get(candidate) ?? 0) <= seen || levenshtein(word, candidate).steps > slips) continue;
        if (!best || (counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
      }
    }
    const corrected = best ?? typed;
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(word, corrected);
    return corrected;
  };

  return { correct: (text) => text.replace(LATIN_WORD, meant) };
}
