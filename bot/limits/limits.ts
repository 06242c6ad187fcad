import { parseRate, type Config } from '../config';
import { hashId, type Logger } from '../logger';
import type { RateLimiter } from '../storage/rateLimit';
import { currentClient } from './turnClient';

/** Limits counted in windows by the shared counter. */
export type WindowLimit = 'messages-per-user' | 'messages-per-address' | 'conversations-per-address' | 'handoffs-per-address' | 'sms-per-address' | 'sms-total';
/** Every limit, as logged and labelled in `kefu_limit_hits_total`. */
export type LimitName = WindowLimit | 'streams-per-conversation';

export interface Rule {
  max: number;
  windowMs: number;
}

export type Admission =
  | { allowed: true }
  | { allowed: false; reason: 'over'; retryAfterS: number; /** The first refusal of this window for this client. */ first: boolean }
  /** The counter could not be reached and the limit fails closed (WHEN_UNCOUNTED). */
  | { allowed: false; reason: 'unavailable'; retryAfterS: number };

/** A turn's use, counted on a per-client and an overall limit: let on, over a limit, or not countable now. */
export type TurnAdmission = 'ok' | 'over' | 'unavailable';

/**
 * What each limit does while its counter cannot be reached (Redis down, paused or too slow):
 *
 * | limit                     | counter down | why                                                                  |
 * |---------------------------|--------------|----------------------------------------------------------------------|
 * | messages-per-user         | allow        | the turn needs the store too: it meets the outage and says so        |
 * | messages-per-address      | allow        | the same; refusing would only turn "暂时无法服务" into a 429          |
 * | conversations-per-address | allow        | a conversation cannot be made without the store either               |
 * | handoffs-per-address      | allow        | the queue lives in the store; a person is the user's last way out    |
 * | sms-per-address           | refuse       | every code costs money: uncounted sends are what SMS pumping wants   |
 * | sms-total                 | refuse       | the deployment's cost ceiling holds only if it is always counted     |
 *
 * Refused here means "暂时无法服务" in a turn (dialogs/messages.ts `unavailable`) and 503 over
 * HTTP. Agent sign-in attempts are counted elsewhere (handoff/signInLimits.ts, on the session
 * store) and fail closed too: an attempt that cannot be counted fails (503), its password unchecked.
 */
export const WHEN_UNCOUNTED: Record<WindowLimit, 'allow' | 'refuse'> = {
  'messages-per-user': 'allow',
  'messages-per-address': 'allow',
  'conversations-per-address': 'allow',
  'handoffs-per-address': 'allow',
  'sms-per-address': 'refuse',
  'sms-total': 'refuse',
};

/** What a 503 for an uncountable limit asks the client to wait (s). */
const UNAVAILABLE_RETRY_S = 5;

export function limitRules(config: Config): Record<WindowLimit, Rule> {
  return {
    'messages-per-user': { max: config.RATE_LIMIT_MESSAGES, windowMs: config.RATE_LIMIT_WINDOW_S * 1000 },
    'messages-per-address': parseRate(config.LIMIT_MESSAGES_PER_ADDRESS),
    'conversations-per-address': parseRate(config.LIMIT_CONVERSATIONS_PER_ADDRESS),
    'handoffs-per-address': parseRate(config.LIMIT_HANDOFFS_PER_ADDRESS),
    'sms-per-address': parseRate(config.LIMIT_SMS_PER_ADDRESS),
    'sms-total': parseRate(config.LIMIT_SMS_TOTAL),
  };
}

/** The whole deployment, for limits that count everyone together. */
export const EVERYONE = 'everyone';

/**
 * Every limit through one fixed-window counter (memory, or Redis shared by the instances):
 * a refusal is counted in `/metrics` each time and logged once per client and window (with
 * the client hashed), so a flood cannot flood the log too.
 */
export class Limits {
  constructor(
    private readonly counter: RateLimiter,
    private readonly rules: Record<WindowLimit, Rule>,
    private readonly logger: Logger,
    private readonly metrics: { limitHit(limit: LimitName): void },
  ) {}

  /**
   * Counts one use by `client`; refused beyond the limit's count in its window. When the
   * counter cannot be reached, WHEN_UNCOUNTED decides: allowed (the request then meets the
   * outage itself and its one clear answer), or refused as unavailable.
   */
  async take(limit: WindowLimit, client: string): Promise<Admission> {
    const rule = this.rules[limit];
    let count: number;
    try {
      count = await this.counter.hit(`${limit}:${hashId(client)}`, rule.windowMs);
    } catch (error) {
      if (WHEN_UNCOUNTED[limit] === 'allow') {
        this.logger.debug({ err: error, limit }, 'limit not counted: counter unavailable, allowed');
        return { allowed: true };
      }
      this.logger.warn({ err: error, limit }, 'limit not counted: counter unavailable, refused');
      return { allowed: false, reason: 'unavailable', retryAfterS: UNAVAILABLE_RETRY_S };
    }
    if (count <= rule.max) return { allowed: true };
    const first = count === rule.max + 1;
    this.refused(limit, client, first);
    return { allowed: false, reason: 'over', retryAfterS: Math.ceil(rule.windowMs / 1000), first };
  }

  /** Counts one use by the current turn's client and by everyone, for the limits that have both. */
  async takeForTurn(perClient: WindowLimit, overall?: WindowLimit): Promise<TurnAdmission> {
    const client = currentClient();
    const mine = client === undefined ? undefined : await this.take(perClient, client);
    if (mine && !mine.allowed) return mine.reason;
    const everyone = overall === undefined ? undefined : await this.take(overall, EVERYONE);
    return everyone && !everyone.allowed ? everyone.reason : 'ok';
  }

  /** A refusal by a limit that is not counted in windows (streams per conversation). */
  refused(limit: LimitName, client: string, log = true): void {
    this.metrics.limitHit(limit);
    if (log) this.logger.warn({ limit, client: hashId(client) }, 'limit reached: refused');
  }
}
