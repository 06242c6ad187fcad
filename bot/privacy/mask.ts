/**
 * Masks what must never appear in full in replies, logs or transcripts: mainland mobile
 * numbers (138****0002) and mainland ID numbers (18 digits with a valid GB 11643 check
 * digit, shown as 110***********1234).
 */

const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
const ID_CANDIDATE = /(?<![\dXx])(\d{17}[\dXx])(?![\dXx])/g;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** True when the 18th character is the GB 11643-1999 check digit of the first 17. */
export function isMainlandIdNumber(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17]?.toUpperCase();
}

export function maskPhone(phone: string): string {
  return phone.replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`);
}

/** Keeps the first 3 and the last 4 characters of an ID number. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** Masks every ID number and mobile number in free text. */
export function maskSensitive(text: string): string {
  const ids = text.replace(ID_CANDIDATE, (candidate) => (isMainlandIdNumber(candidate) ? maskIdNumber(candidate) : candidate));
  return maskPhone(ids);
}

/** Six digits standing alone look like a one-time code: never keep them. */
export function maskCodes(text: string): string {
  return text.replace(/(?<!\d)\d{6}(?!\d)/g, '******');
}
