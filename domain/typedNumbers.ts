import { withoutFormatCharacters } from './text';

/**
 * Numbers as people type them: "138 0000 0002", "138-0000-0002", "１３８０００００００２",
 * "+86 138…", "010 993", with zero-width characters in between. The flows read numbers and
 * the masking hides them through this one module, so whatever a flow accepts as a number is
 * masked wherever text is kept.
 */

export type TypedNumber =
  /** A mainland mobile number (11 digits), after an optional 86 country code. */
  | { kind: 'mobile'; digits: string; countryCode: string }
  /** Six digits: what a one-time code looks like. */
  | { kind: 'code'; digits: string }
  /** A mainland ID number with a valid check character (upper-case X). */
  | { kind: 'id'; digits: string };

export interface FoundNumber {
  /** Where it is in the folded text (`foldDigits`). */
  start: number;
  end: number;
  number: TypedNumber;
  /** Whether it is all the digits of its run ("138 0000 0002", not "138 0000 0002 77"). */
  whole: boolean;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True when the 18th character is the GB 11643-1999 check digit of the first 17. */
export function isMainlandIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

/** Characters NFKC turns into digits (full-width ０-９, ①, ², 𝟏 …) and the full-width X of ID numbers. */
const DIGIT_LIKE = /(?![0-9])\p{N}|[Ｘｘ]/gu;

/**
 * The text with format characters dropped and every digit-like character as its ASCII
 * digit; everything else (Chinese punctuation included) stays as typed.
 */
export function foldDigits(text: string): string {
  return withoutFormatCharacters(text).replace(DIGIT_LIKE, (char) => {
    const folded = char.normalize('NFKC');
    return /^[0-9Xx]+$/.test(folded) ? folded : char;
  });
}

/** Digit groups with spaces or dashes between them, and the check character of an ID number at the end. */
const RUN = /[0-9]+(?:[\s\p{Pd}]+[0-9]+)*[Xx]?/gu;
const GROUP = /[0-9]+|[Xx]/g;
/** Longest stretch of digits that can be one number: an ID number after a country code. */
const MAX_DIGITS = 20;

interface Group {
  text: string;
  start: number;
  end: number;
  /** Whether the group follows a dash (not only spaces). */
  afterDash: boolean;
}

/** How many characters each kind of number has: a code, a mobile number (after 86), an ID number. */
const LENGTHS = new Set([6, 11, 13, 18]);

/**
 * A stretch of whole groups read as one number. Mobile and ID numbers may be split by
 * spaces or dashes; a code only by spaces, since a dash between digits usually means a
 * date or a range ("2026-11-26" is not the code 202611).
 */
function classify(joined: string, dashed: boolean): TypedNumber | undefined {
  if (!LENGTHS.has(joined.length)) return undefined;
  if (/^\d{17}[\dXx]$/.test(joined) && isMainlandIdNumber(joined)) return { kind: 'id', digits: joined.toUpperCase() };
  if (!/^\d+$/.test(joined)) return undefined;
  const mobile = /^(86)?(1[3-9]\d{9})$/.exec(joined);
  if (mobile) return { kind: 'mobile', digits: mobile[2]!, countryCode: mobile[1] ?? '' };
  if (joined.length === 6 && !dashed) return { kind: 'code', digits: joined };
  return undefined;
}

/**
 * Every number in folded text: in each run of digit groups, from the left, the longest
 * stretch of whole groups that is a number ("123456 13800000002" is a code and a mobile
 * number; "138 0000 0002" is one mobile number).
 */
export function findNumbers(folded: string): FoundNumber[] {
  const found: FoundNumber[] = [];
  for (const run of folded.matchAll(RUN)) {
    const base = run.index ?? 0;
    let previousEnd = 0;
    const groups: Group[] = [...run[0].matchAll(GROUP)].map((g) => {
      const start = g.index ?? 0;
      const group = { text: g[0], start: base + start, end: base + start + g[0].length, afterDash: /\p{Pd}/u.test(run[0].slice(previousEnd, start)) };
      previousEnd = start + g[0].length;
      return group;
    });
    const digitGroups = groups.filter((g) => g.text !== 'X' && g.text !== 'x').length;
    for (let i = 0; i < groups.length; ) {
      let best: { last: number; number: TypedNumber } | undefined;
      let joined = '';
      let dashed = false;
      for (let j = i; j < groups.length && joined.length + groups[j]!.text.length <= MAX_DIGITS; j++) {
        joined += groups[j]!.text;
        dashed ||= j > i && groups[j]!.afterDash;
        const number = classify(joined, dashed);
        if (number) best = { last: j, number };
      }
      if (!best) {
        i++;
        continue;
      }
      found.push({ start: groups[i]!.start, end: groups[best.last]!.end, number: best.number, whole: i === 0 && best.last >= digitGroups - 1 });
      i = best.last + 1;
    }
  }
  return found;
}

/** The numbers that are, each, all the digits the user typed in one place: what a flow accepts. */
export function typedNumbers(text: string): TypedNumber[] {
  return findNumbers(foldDigits(text))
    .filter((f) => f.whole)
    .map((f) => f.number);
}
