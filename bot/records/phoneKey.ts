import crypto from 'node:crypto';

/** A mainland mobile number as its 11 digits, whatever the user typed around it (+86, spaces, dashes). */
export function phoneDigits(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/**
 * A number as the records name it: a keyed hash, so a user's records are found by their
 * number (export, erasure) while the database never holds the number beside them.
 */
export function phoneKeyOf(secret: string, raw: string): string {
  return crypto.createHmac('sha256', secret).update(`phone:${phoneDigits(raw)}`).digest('base64url');
}
