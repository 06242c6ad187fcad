import crypto from 'node:crypto';
import type { RedisClient } from './redis/connection';
import { keys } from './redis/keys';

/**
 * Turns of one conversation never run at the same time: not two messages sent in quick
 * succession, not a message and an agent's reply, not on two instances. ConversationState
 * saves with "*" (last writer wins), so this lock is what keeps state from being lost.
 */
export interface TurnLock {
  /** Runs `work` holding the conversation's lock; throws `ConversationBusyError` if it cannot be had in time. */
  run<T>(conversation: string, work: () => Promise<T>): Promise<T>;
}

export class ConversationBusyError extends Error {
  override readonly name = 'ConversationBusyError';
}

/** One process: a promise chain per conversation. */
export class MemoryTurnLock implements TurnLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly waitMs: number) {}

  async run<T>(conversation: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversation) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(conversation, tail);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.waitMs)));
      const turn = await Promise.race([previous.then(() => 'go' as const), timedOut]);
      clearTimeout(timer);
      if (turn === 'timeout') throw new ConversationBusyError(`conversation busy for ${this.waitMs} ms`);
      return await work();
    } finally {
      release();
      if (this.tails.get(conversation) === tail) this.tails.delete(conversation);
    }
  }
}

/** Deletes the lock only if it is still ours: an expired lease taken over by another instance stays theirs. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Across instances: a lease in Redis with a unique token (SET NX PX), renewed while the turn
 * runs so a long turn keeps it, released only by its holder. Waiting is bounded: after
 * `waitMs` the caller gets `ConversationBusyError` and tells the user.
 */
export class RedisTurnLock implements TurnLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: { leaseMs: number; waitMs: number },
  ) {}

  async run<T>(conversation: string, work: () => Promise<T>): Promise<T> {
    const key = keys.conversation(conversation, 'lock');
    const token = crypto.randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    for (let attempt = 0; ; attempt++) {
      const taken = await this.redis.set(key, token, 'PX', this.options.leaseMs, 'NX');
      if (taken === 'OK') break;
      if (Date.now() >= deadline) throw new ConversationBusyError(`conversation busy for ${this.options.waitMs} ms`);
      // Short first waits (the previous turn is usually about to finish), then back off.
      await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** attempt, 200) * (0.5 + Math.random())));
    }
    const renew = setInterval(() => {
      this.redis.eval(RENEW, 1, key, token, String(this.options.leaseMs)).catch(() => undefined);
    }, this.options.leaseMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
