import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import { messages } from '../../dialogs/messages';
import type { Locale } from '../../knowledge/schema';
import { channelLocale } from '../kefuBot';
import { clientAddress } from '../clientAddress';
import type { Limits, WindowLimit } from './limits';

/** The per-address limits as the HTTP routes apply them, before any work is done. */
export interface AddressLimits {
  /** Who is asking, as the limits count it (the client address). */
  clientOf(req: IncomingMessage): string;
  /**
   * Counts one use by the request's client. Over the limit, it has answered 429 with
   * Retry-After and one sentence in the client's language, and returns false.
   */
  admit(req: Request, res: Response, limit: WindowLimit, localeHint?: unknown): Promise<boolean>;
  /** The limits themselves, for refusals counted elsewhere (streams). */
  limits: Limits;
}

export function addressLimits(limits: Limits, trustedHeader: string | undefined, defaultLocale: Locale): AddressLimits {
  const clientOf = (req: IncomingMessage) => clientAddress(req, trustedHeader);
  const localeOf = (req: Request, hint: unknown): Locale =>
    channelLocale(typeof hint === 'string' ? hint : undefined) ?? channelLocale(String(req.headers['accept-language'] ?? '').split(',')[0]?.trim()) ?? defaultLocale;
  return {
    clientOf,
    limits,
    async admit(req, res, limit, localeHint) {
      const admission = await limits.take(limit, clientOf(req));
      if (admission.allowed) return true;
      res.header('Retry-After', String(admission.retryAfterS));
      const say = messages(localeOf(req, localeHint));
      if (admission.reason === 'unavailable') res.send(503, { error: { code: 'ServiceUnavailable', message: say.unavailable } });
      else res.send(429, { error: { code: 'TooManyRequests', message: say.tooManyRequests } });
      return false;
    },
  };
}
