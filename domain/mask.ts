import { findNumbers, foldDigits, type TypedNumber } from './typedNumbers';

export { isMainlandIdNumber } from './typedNumbers';

/**
 * Masks what must never appear in full in replies, logs or transcripts: mainland mobile
 * numbers (138****0002), mainland ID numbers (18 characters with a valid GB 11643 check
 * digit, shown as 110***********1234), bank card numbers (**** **** **** 5678) and one-time
 * codes (gone). Numbers are found by the reader the flows use (typedNumbers.ts), in its
 * lenient mode: everything a flow accepts, and every other way of typing a number a person
 * can read back (Chinese numerals, other scripts' digits, digits split by emoji, dots,
 * slashes or letters …). Every mask is a run of at least four asterisks, which
 * bot/channels/render.ts keeps literal where replies are read as Markdown.
 */

const MOBILE = /^(1[3-9]\d)(\d{4})(\d{4})$/;

/** A known mobile number (one the flows read), shown as 138****0002; anything else is masked as free text. */
export function maskPhone(phone: string): string {
  return MOBILE.test(phone) ? phone.replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`) : maskText(phone);
}

/** Keeps the first 3 and the last 4 characters of an ID number. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** Keeps the last four digits, which is all anyone needs to tell two cards apart. */
export function maskCardNumber(digits: string): string {
  return `**** **** **** ${digits.slice(-4)}`;
}

function masked(number: TypedNumber): string {
  switch (number.kind) {
    case 'mobile':
      return `${number.countryCode}${maskPhone(number.digits)}`;
    case 'id':
      return maskIdNumber(number.digits);
    case 'card':
      return maskCardNumber(number.digits);
    case 'code':
      return '******';
  }
}

/**
 * Free text as it may be kept (transcripts, KB signals, tickets, logs): every mobile, ID and
 * card number masked, every six-digit run (a code, as far as anyone can tell) hidden, shown
 * in ASCII digits. The rest is kept as typed but for format characters (dropped) and
 * full-width and circled digits (as ASCII), so "三天" and "二〇二六年" read as before.
 * Everything that keeps text calls this.
 */
export function maskText(text: string): string {
  let kept = '';
  let at = 0;
  for (const found of findNumbers(text, 'lenient')) {
    kept += foldDigits(text.slice(at, found.start)) + masked(found.number);
    at = found.end;
  }
  return kept + foldDigits(text.slice(at));
}
