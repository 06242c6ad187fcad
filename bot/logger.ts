import crypto from 'node:crypto';
import pino, { type Logger } from 'pino';
import { maskText } from './privacy/mask';

export type { Logger };

/** Every string in a serialized error, masked (nested causes included; depth bounded). */
function maskStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, depth + 1)]));
}

/**
 * JSON lines on stdout; nothing sensitive is ever passed to it unmasked. Errors are the one
 * thing logged whose text nobody chose — a JSON parse error quotes the body it failed on —
 * so their text goes through the same masking as everything else that is kept.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kefu' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: (error: Error) => maskStrings(pino.stdSerializers.err(error)) },
    },
    destination,
  );
}

/** Conversation ids are logged hashed: stable enough to follow one chat, useless to anyone else. */
export function hashId(id: string): string {
  return crypto.createHash('sha256').update(id).digest('base64url').slice(0, 12);
}
