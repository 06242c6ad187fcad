import crypto from 'node:crypto';
import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; nothing sensitive is ever passed to it unmasked. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'kefu' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** Conversation ids are logged hashed: stable enough to follow one chat, useless to anyone else. */
export function hashId(id: string): string {
  return crypto.createHash('sha256').update(id).digest('base64url').slice(0, 12);
}
