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

export type Admission = { allowed: true } | { allowed: false; retryAfterS: number; /** The first refusal of this window for this client. */ first: boolean };

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
   * counter cannot be reached (Redis down), the use is allowed: the request then meets the
   * outage itself and its one clear answer, not a failure of the limit.
   */
  async take(limit: WindowLimit, client: string): Promise<Admission> {
    const rule = this.rules[limit];
    let count: number;
    try {
      count = await this.counter.hit(`${limit}:${hashId(client)}`, rule.windowMs);
    } catch (error) {
      this.logger.debug({ err: error, limit }, 'limit not counted: counter unavailable');
      return { allowed: true };
    }
    if (count <= rule.max) return { allowed: true };
    const first = count === rule.max + 1;
    this.refused(limit, client, first);
    return { allowed: false, retryAfterS: Math.ceil(rule.windowMs / 1000), first };
  }

  /** Counts one use by the current turn's client and by everyone, for the limits that have both. */
  async takeForTurn(perClient: WindowLimit, overall?: WindowLimit): Promise<boolean> {
    const client = currentClient();
    if (client !== undefined && !(await this.take(perClient, client)).allowed) return false;
    return overall === undefined || (await this.take(overall, EVERYONE)).allowed;
  }

  /** A refusal by a limit that is not counted in windows (streams per conversation). */
  refused(limit: LimitName, client: string, log = true): void {
    this.metrics.limitHit(limit);
    if (log) this.logger.warn({ limit, client: hashId(client) }, 'limit reached: refused');
  }
}
