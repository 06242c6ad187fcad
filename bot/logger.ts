import crypto from 'node:crypto';
import pino, { type Logger } from 'pino';
import { maskText } from '../domain/mask';

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

/** "GET /api/dev/accounts/138****0002": the method and path of a request, masked, without its query. */
function requestLine(req: { method?: unknown; url?: unknown } | undefined): string {
  const target = typeof req?.url === 'string' ? (req.url.split('?')[0] ?? '') : '';
  return `${String(req?.method ?? '?')} ${maskText(target.slice(0, 200))}`;
}

/**
 * The logger restify writes through. Its own warnings (a value an async handler resolved to, a
 * body it could not format) attach whole request or response objects: some 11 KB of headers,
 * cookies included, on restify's own stdout logger. Here each is one short line in the app's log,
 * at its level: the request line, the response status, what kind of value was left over.
 */
export function httpLogger(logger: Logger): Logger {
  return logger.child(
    { component: 'restify' },
    {
      serializers: {
        req: requestLine,
        res: (res: { statusCode?: unknown; req?: { method?: unknown; url?: unknown } }) => `${String(res?.statusCode ?? '?')} ${requestLine(res?.req)}`,
        value: (value: unknown) => (value !== null && typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value),
      },
    },
  );
}
