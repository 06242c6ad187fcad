import { findNumbers, foldDigits, type TypedNumber } from './typedNumbers';

export { isMainlandIdNumber } from './typedNumbers';

/**
 * Masks what must never appear in full in replies, logs or transcripts: mainland mobile
 * numbers (138****0002), mainland ID numbers (18 characters with a valid GB 11643 check
 * digit, shown as 110***********1234) and one-time codes (gone). Numbers are found the way
 * the flows read them (typedNumbers.ts): spaced, dashed, full-width, with invisible
 * characters in between. Every mask is a run of at least four asterisks, which
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

function masked(number: TypedNumber): string {
  switch (number.kind) {
    case 'mobile':
      return `${number.countryCode}${maskPhone(number.digits)}`;
    case 'id':
      return maskIdNumber(number.digits);
    case 'code':
      return '******';
  }
}

/**
 * Free text as it may be kept (transcripts, KB signals, tickets, logs): every mobile and ID
 * number masked, every six-digit run (a code, as far as anyone can tell) hidden, format
 * characters dropped and digits folded to ASCII. Everything that keeps text calls this.
 */
export function maskText(text: string): string {
  const folded = foldDigits(text);
  let kept = '';
  let at = 0;
  for (const found of findNumbers(folded)) {
    kept += folded.slice(at, found.start) + masked(found.number);
    at = found.end;
  }
  return kept + folded.slice(at);
}
