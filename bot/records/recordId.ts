import crypto from 'node:crypto';

let sequence = 0;

/**
 * A record's id: unique, and in the order this process made them, so lines written in the
 * same millisecond keep the order they were said in (the database sorts a conversation by
 * time, then id).
 */
export function recordId(now: number = Date.now()): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${now.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${crypto.randomBytes(6).toString('base64url')}`;
}
