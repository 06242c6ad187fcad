import { withoutFormatCharacters } from './text';

/**
 * Numbers as people type them, read in one of two ways by one reader:
 *
 * - strict (`typedNumbers`): what the flows accept as an answer. "138 0000 0002",
 *   "138-0000-0002", "１３８０００００００２", "+86 138…", "010 993", with zero-width characters
 *   in between. Nothing looser, so a flow never takes a date or an amount for a number.
 * - lenient (`findNumbers(text, 'lenient')`): what masking sees. Everything strict reads,
 *   and also numbers nobody would accept as an answer but anybody can read back: Chinese
 *   numerals (一三八…, 壹叁捌…, 幺, 〇/零, 两), other scripts' digits (٣, ३), ⑴ ⒈ ❶,
 *   digits split by emoji, `.`, `/`, `_`, `，`, letters, combining marks or variation
 *   selectors; and bank card numbers. Whatever a flow accepts is therefore masked too.
 *
 * Ordinary text stays ordinary in both: a six-digit code is only ever six digits split by
 * nothing but spaces (or emoji), never a date, time, amount or version number; case ids
 * (AP-20261123-7K3Q, T-…) are never read as numbers.
 */

export type TypedNumber =
  /** A mainland mobile number (11 digits), after an optional 86 country code. */
  | { kind: 'mobile'; digits: string; countryCode: string }
  /** Six digits: what a one-time code looks like. */
  | { kind: 'code'; digits: string }
  /** A mainland ID number with a valid check character (upper-case X). */
  | { kind: 'id'; digits: string }
  /** A bank card number, 16–19 digits (lenient reading only: no flow asks for one). */
  | { kind: 'card'; digits: string };

export type ReadMode = 'strict' | 'lenient';

export interface FoundNumber {
  /** Where it is in the text that was read (UTF-16 indices). */
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

/** The Luhn check every card scheme uses. */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Characters NFKC turns into digits (full-width ０-９, ①, ², 𝟏 …) and the full-width X of ID numbers. */
const DIGIT_LIKE = /(?![0-9])\p{N}|[Ｘｘ]/gu;

/**
 * The text with format characters dropped and every character NFKC makes a digit as its
 * ASCII digit; everything else (Chinese numerals and punctuation included) stays as typed.
 */
export function foldDigits(text: string): string {
  return withoutFormatCharacters(text).replace(DIGIT_LIKE, (char) => {
    const folded = char.normalize('NFKC');
    return /^[0-9Xx]+$/.test(folded) ? folded : char;
  });
}

/** Digits as Chinese is read aloud or written on cheques, one character a digit (十, 百 are not digits). */
const CHINESE_DIGITS: Record<string, string> = {
  〇: '0', 零: '0', 洞: '0',
  一: '1', 壹: '1', 幺: '1',
  二: '2', 贰: '2', 貳: '2', 两: '2', 兩: '2',
  三: '3', 叁: '3', 參: '3',
  四: '4', 肆: '4',
  五: '5', 伍: '5',
  六: '6', 陆: '6', 陸: '6',
  七: '7', 柒: '7',
  八: '8', 捌: '8',
  九: '9', 玖: '9',
};

const isDecimalDigit = (codePoint: number) => /\p{Nd}/u.test(String.fromCodePoint(codePoint));

/**
 * The value of any Unicode decimal digit (٣, ३, ๓ …). Unicode encodes them in runs of ten,
 * 0 to 9, so the value is the distance from the start of the run, modulo ten.
 */
function decimalValue(codePoint: number): string {
  let start = codePoint;
  while (start > 0 && codePoint - start < 100 && isDecimalDigit(start - 1)) start--;
  return String((codePoint - start) % 10);
}

/** Dingbat circled digits (❶ ➀ ➊, 1–10), which NFKC leaves alone. */
function dingbatValue(codePoint: number): string | undefined {
  if (codePoint < 0x2776 || codePoint > 0x2793) return undefined;
  return String(((codePoint - 0x2776) % 10) + 1);
}

/** The digits one character stands for, or undefined when it is no digit in this mode. */
function digitsOf(char: string, mode: ReadMode): string | undefined {
  if (char >= '0' && char <= '9') return char;
  if (/\p{N}/u.test(char)) {
    const folded = char.normalize('NFKC');
    if (/^[0-9]+$/.test(folded)) return folded;
    if (mode === 'strict') return undefined;
    const codePoint = char.codePointAt(0)!;
    if (/\p{Nd}/u.test(char)) return decimalValue(codePoint);
    // ⑴ is "(1)" and ⒈ is "1." once NFKC has been through them.
    const inner = /^\(?([0-9]+)[.)]?$/.exec(folded);
    if (inner) return inner[1];
    return dingbatValue(codePoint) ?? CHINESE_DIGITS[char];
  }
  return mode === 'lenient' ? CHINESE_DIGITS[char] : undefined;
}

/** What may stand between two digit groups of one number, by how much it says about structure. */
type GapSort = 'space' | 'dash' | 'soft' | 'punct' | 'letter';

type Cell = { kind: 'digits'; value: string } | { kind: 'check' } | { kind: 'invisible' } | { kind: 'gap'; sort: GapSort } | { kind: 'stop' };

function cellOf(char: string, mode: ReadMode): Cell {
  const value = digitsOf(char, mode);
  if (value !== undefined) return { kind: 'digits', value };
  if (/^[Xx]$/.test(char.normalize('NFKC'))) return { kind: 'check' };
  if (/\p{Cf}/u.test(char)) return { kind: 'invisible' };
  if (/\s/u.test(char)) return { kind: 'gap', sort: 'space' };
  if (/\p{Pd}/u.test(char)) return { kind: 'gap', sort: 'dash' };
  if (mode === 'strict') return { kind: 'stop' };
  // Marks sit on the character before them (a keycap, an accent, a variation selector).
  if (/\p{M}/u.test(char)) return { kind: 'invisible' };
  if (/[\p{So}\p{Sk}\p{Extended_Pictographic}]/u.test(char)) return { kind: 'gap', sort: 'soft' };
  if (/\p{P}/u.test(char)) return { kind: 'gap', sort: 'punct' };
  if (/^[A-Za-zＡ-Ｚａ-ｚ]$/.test(char)) return { kind: 'gap', sort: 'letter' };
  return { kind: 'stop' };
}

/** A gap longer than this, or with more letters, is words between numbers, not a number split up. */
const MAX_GAP_CELLS = 8;
const MAX_GAP_LETTERS = 3;

/** Case ids (domain/caseId.ts, knowledge/caseId.ts) hold digits and letters; they are never a number. */
const CASE_ID = /(?<![A-Za-z0-9])(?:AP|T)[\s\p{Pd}]*\d{8}[\s\p{Pd}]*[0-9A-Za-z]{4}(?![A-Za-z0-9])/giu;

interface Group {
  /** Its digits, or 'X' for the check character of an ID number. */
  text: string;
  start: number;
  end: number;
  /** What separated it from the group before (empty for the first of a run). */
  gap: Set<GapSort>;
  /** That separator as typed, invisible characters left out. */
  separator: string;
  check: boolean;
}

/** The text cut into runs of digit groups, each run a candidate for holding numbers. */
function runsOf(text: string, mode: ReadMode): Group[][] {
  const protectedSpans = mode === 'lenient' ? [...text.matchAll(CASE_ID)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length] as const) : [];
  const runs: Group[][] = [];
  let run: Group[] = [];
  let open: Group | undefined;
  let gap = new Set<GapSort>();
  let separator = '';
  let gapLetters = 0;
  const endRun = () => {
    if (run.length > 0) runs.push(run);
    run = [];
    open = undefined;
  };
  const startGap = () => {
    open = undefined;
    gap = new Set();
    separator = '';
    gapLetters = 0;
  };
  /**
   * Lenient: punctuation joins groups only on its own ("138.0000.0002", not the list
   * "1.5, 3.2"), letters only on their own ("138abc0000", not "138 abc 0000"; ids
   * such as "4c1b-9a57" are not numbers split up). Strict: spaces and dashes only.
   */
  const joinable = () => {
    if (mode === 'strict') return [...gap].every((sort) => sort === 'space' || sort === 'dash');
    if (gap.has('punct') && gap.has('space')) return false;
    return !gap.has('letter') || gap.size === 1;
  };
  const addToGap = (sort: GapSort, char: string) => {
    gap.add(sort);
    separator += char;
    if (sort === 'letter') gapLetters++;
    if (mode === 'lenient' && ([...separator].length > MAX_GAP_CELLS || gapLetters > MAX_GAP_LETTERS)) endRun();
  };
  let index = 0;
  for (const char of text) {
    const at = index;
    index += char.length;
    while (protectedSpans[0] && protectedSpans[0][1] <= at) protectedSpans.shift();
    const inCaseId = protectedSpans[0] !== undefined && protectedSpans[0][0] <= at;
    const cell: Cell = inCaseId ? { kind: 'stop' } : cellOf(char, mode);
    switch (cell.kind) {
      case 'invisible':
        if (open) open.end = index;
        break;
      case 'digits':
        if (open && !open.check) {
          open.text += cell.value;
          open.end = index;
        } else {
          if (run.length > 0 && !joinable()) endRun();
          open = { text: cell.value, start: at, end: index, gap: run.length > 0 ? gap : new Set(), separator: run.length > 0 ? separator : '', check: false };
          run.push(open);
        }
        break;
      case 'check':
        if (open && !open.check) {
          run.push({ text: 'X', start: at, end: index, gap: new Set(), separator: '', check: true });
          // Strict: the check character ends an ID number's run, as in "11010519491231002X".
          if (mode === 'strict') endRun();
          else {
            // Lenient: it may as well be a letter splitting a number ("138x0000x0002").
            startGap();
            addToGap('letter', char);
          }
        } else if (mode === 'lenient') {
          if (open) startGap();
          if (run.length > 0) addToGap('letter', char);
        } else endRun();
        break;
      case 'gap':
        if (open) startGap();
        if (run.length > 0) addToGap(cell.sort, char);
        break;
      case 'stop':
        endRun();
        break;
    }
  }
  endRun();
  return runs;
}

/** Digits-only lengths each kind of number can have, by mode (codes, mobile, 86 + mobile, ID, cards). */
const LENGTHS: Record<ReadMode, Set<number>> = {
  strict: new Set([6, 11, 13, 18]),
  lenient: new Set([6, 11, 13, 16, 17, 18, 19]),
};

/** Whole groups taken together, built up one group at a time. */
interface Stretch {
  /** Their digits, check characters left out. */
  digits: string;
  /** Whether the last group is the check character of an ID number. */
  endsWithCheck: boolean;
  /** Every kind of gap between them. */
  gaps: Set<GapSort>;
  /** Whether every group but the last has four digits and the last at most four ("6217 0000 1234 5678"). */
  inFours: boolean;
  groups: number;
  /** The punctuation splitting it, when any; a number is split by one kind only ("138.0000.0002", not "1.5，3.2"). */
  punctuation?: string;
  mixedPunctuation: boolean;
}

/** Shared when nothing is new (a long run of groups would otherwise copy the set at every step). */
const union = (a: Set<GapSort>, b: Set<GapSort>) => ([...b].every((sort) => a.has(sort)) ? a : new Set([...a, ...b]));

function extend(stretch: Stretch | undefined, group: Group): Stretch {
  if (group.check) return stretch ? { ...stretch, endsWithCheck: true } : { digits: '', endsWithCheck: true, gaps: new Set(), inFours: false, groups: 0, mixedPunctuation: false };
  const previousFour = stretch ? stretch.inFours && stretch.digits.length % 4 === 0 : true;
  const joins = stretch !== undefined && stretch.groups > 0;
  const punctuation = joins && group.gap.has('punct') ? group.separator : undefined;
  return {
    punctuation: stretch?.punctuation ?? punctuation,
    mixedPunctuation: (stretch?.mixedPunctuation ?? false) || (punctuation !== undefined && stretch?.punctuation !== undefined && punctuation !== stretch.punctuation),
    digits: (stretch?.digits ?? '') + group.text,
    endsWithCheck: false,
    gaps: joins ? union(stretch.gaps, group.gap) : new Set(),
    inFours: previousFour && group.text.length <= 4,
    groups: (stretch?.groups ?? 0) + 1,
  };
}

/**
 * A stretch of whole groups read as one number. Mobile and ID numbers may be split any way
 * the mode allows; a code only by spaces (or emoji), since a dash, dot, slash or letter
 * between digits usually means a date, a time, an amount or a range ("2026-11-26" is not
 * the code 202611, nor is "1380.00" the code 138000).
 */
function classify(stretch: Stretch, mode: ReadMode): TypedNumber | undefined {
  const joined = stretch.endsWithCheck ? `${stretch.digits}X` : stretch.digits;
  if (!LENGTHS[mode].has(joined.length) || stretch.mixedPunctuation) return undefined;
  if (/^\d{17}[\dX]$/.test(joined) && isMainlandIdNumber(joined)) return { kind: 'id', digits: joined };
  if (stretch.endsWithCheck) return undefined;
  const mobile = /^(86)?(1[3-9]\d{9})$/.exec(joined);
  if (mobile) return { kind: 'mobile', digits: mobile[2]!, countryCode: mobile[1] ?? '' };
  const structured = [...stretch.gaps].some((sort) => sort !== 'space' && sort !== 'soft');
  if (joined.length === 6 && !structured) return { kind: 'code', digits: joined };
  if (mode === 'lenient' && joined.length >= 16 && joined.length <= 19 && isCard(stretch)) return { kind: 'card', digits: joined };
  return undefined;
}

/**
 * A card number is Luhn-valid or printed in fours. Split by dots, slashes or commas it must
 * be in fours ("2026-11-26 14:30:00.123" is a time, whatever its check digit); split by
 * letters it is never one (ids such as UUIDs mix letters and digits).
 */
function isCard(stretch: Stretch): boolean {
  // No card number starts with 0 (and "0000000000000000" is Luhn-valid).
  if (stretch.gaps.has('letter') || stretch.digits.startsWith('0')) return false;
  const inFours = stretch.inFours && stretch.groups >= 4;
  return inFours || (!stretch.gaps.has('punct') && isLuhnValid(stretch.digits));
}

/**
 * A number split by letters is one only as a word of its own ("138abc0000xyz0002"); inside
 * a longer string of letters and digits (a hash, an id) it is chance.
 */
function standsAlone(text: string, start: number, end: number): boolean {
  return !/[A-Za-z0-9]/.test(text[start - 1] ?? '') && !/[A-Za-z0-9]/.test(text[end] ?? '');
}

/** Longest stretch of digits that can be one number: an ID number after a country code. */
const MAX_DIGITS = 20;

/**
 * Every number in the text: in each run of digit groups, from the left, the longest
 * stretch of whole groups that is a number ("123456 13800000002" is a code and a mobile
 * number; "138 0000 0002" is one mobile number).
 */
export function findNumbers(text: string, mode: ReadMode = 'strict'): FoundNumber[] {
  const found = readNumbers(text, mode);
  if (mode === 'strict') return found;
  // What the strict reading finds between the lenient finds is found too: a character only
  // the lenient reading takes for a digit may spoil a number the flows accept ("٣802560").
  const all = [...found];
  let at = 0;
  for (const next of [...found, { start: text.length, end: text.length }]) {
    for (const f of readNumbers(text.slice(at, next.start), 'strict')) all.push({ ...f, start: f.start + at, end: f.end + at });
    at = next.end;
  }
  return all.sort((a, b) => a.start - b.start);
}

function readNumbers(text: string, mode: ReadMode): FoundNumber[] {
  const found: FoundNumber[] = [];
  for (const groups of runsOf(text, mode)) {
    let lastDigits = -1;
    groups.forEach((g, i) => {
      if (!g.check) lastDigits = i;
    });
    for (let i = 0; i < groups.length; ) {
      let best: { last: number; number: TypedNumber } | undefined;
      let stretch: Stretch | undefined;
      for (let j = i; j < groups.length && (stretch?.digits.length ?? 0) + groups[j]!.text.length <= MAX_DIGITS; j++) {
        stretch = extend(stretch, groups[j]!);
        const number = classify(stretch, mode);
        if (number && (!stretch.gaps.has('letter') || standsAlone(text, groups[i]!.start, groups[j]!.end))) best = { last: j, number };
      }
      if (!best) {
        i++;
        continue;
      }
      found.push({ start: groups[i]!.start, end: groups[best.last]!.end, number: best.number, whole: i === 0 && best.last >= lastDigits });
      i = best.last + 1;
    }
  }
  return found;
}

/** The numbers that are, each, all the digits the user typed in one place: what a flow accepts. */
export function typedNumbers(text: string): TypedNumber[] {
  return findNumbers(text, 'strict')
    .filter((f) => f.whole)
    .map((f) => f.number);
}
