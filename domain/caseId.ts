import crypto from 'node:crypto';

const CASE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A case number people can read out on the phone: AP-20261123-7K3Q (tickets use T-). */
export function newCaseId(now: Date, prefix = 'AP'): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const suffix = Array.from(crypto.randomBytes(4), (b) => CASE_ALPHABET[b % CASE_ALPHABET.length]).join('');
  return `${prefix}-${day}-${suffix}`;
}
