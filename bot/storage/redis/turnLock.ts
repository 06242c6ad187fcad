import crypto from 'node:crypto';
import { ConversationBusyError, type TurnLock } from '../turnLock';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

/**
 * Across instances: a lease in Redis with a unique token (SET NX PX), renewed while the turn
 * runs so a long turn keeps it, released only by its holder (an expired lease taken over by
 * another instance stays theirs). Waiting is bounded: after `waitMs` the caller gets
 * `ConversationBusyError` and tells the user.
 */
export class RedisTurnLock implements TurnLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: { leaseMs: number; waitMs: number },
  ) {
    withScripts(redis);
  }

  async run<T>(conversation: string, work: () => Promise<T>): Promise<T> {
    const key = keys.conversation(conversation, 'lock');
    const token = crypto.randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    for (let attempt = 0; ; attempt++) {
      const taken = await this.redis.set(key, token, 'PX', this.options.leaseMs, 'NX').catch((error: unknown) => {
        // A command that timed out may still run when a paused Redis wakes up: the release
        // goes out behind it on the same connection, so a lock nobody holds cannot keep
        // the conversation busy after the outage.
        this.redis.kefuLockRelease(key, token).catch(() => undefined);
        throw error;
      });
      if (taken === 'OK') break;
      if (Date.now() >= deadline) throw new ConversationBusyError(`conversation busy for ${this.options.waitMs} ms`);
      // Short first waits (the previous turn is usually about to finish), then back off.
      await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** attempt, 200) * (0.5 + Math.random())));
    }
    const renew = setInterval(() => {
      this.redis.kefuLockRenew(key, token, this.options.leaseMs).catch(() => undefined);
    }, this.options.leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.redis.kefuLockRelease(key, token).catch(() => undefined);
    }
  }
}
