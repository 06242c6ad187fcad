import type { Storage, StoreItems } from 'botbuilder';
import crypto from 'node:crypto';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';
import { StaleETagError } from '../staleETag';
import { ttlOfState, type StateTtl } from '../stateTtl';

export { StaleETagError };

/** botbuilder's state keys are "<channel>/conversations/<id>/" and "<channel>/users/<id>/". */
function tagOf(key: string): string {
  const match = /^([^/]+)\/(conversations|users)\/(.+)\/$/.exec(key);
  if (!match) return key;
  return match[2] === 'conversations' ? `${match[1]}:${match[3]}` : `user:${match[1]}:${match[3]}`;
}

/**
 * botbuilder `Storage` on Redis with real optimistic concurrency: every item carries an
 * eTag; a write with a stale one is rejected, `*` (or none) overwrites (one compare-and-set
 * script, `kefuStateWrite`). Items expire after their lifetime without a write: one number
 * for all, or short for conversations the user has not written in yet (bot/storage/stateTtl.ts).
 * Keys of a conversation share its hash tag.
 */
/** 72 random bits tell one write from another as surely as a UUID does, in a third of the bytes every conversation keeps. */
const newETag = () => crypto.randomBytes(9).toString('base64url');

export class RedisStorage implements Storage {
  private readonly ttlOf: (item: unknown) => number;

  constructor(
    private readonly redis: RedisClient,
    ttl: number | StateTtl,
  ) {
    withScripts(redis);
    this.ttlOf = typeof ttl === 'number' ? () => ttl : (item) => ttlOfState(ttl, item);
  }

  static keyOf(key: string): string {
    return keys.conversation(tagOf(key), `state:${key}`);
  }

  async read(stateKeys: string[]): Promise<StoreItems> {
    if (!stateKeys) throw new ReferenceError('Keys are required when reading.');
    const found = await Promise.all(stateKeys.map((key) => this.redis.hmget(RedisStorage.keyOf(key), 'e', 'v')));
    const items: StoreItems = {};
    stateKeys.forEach((key, i) => {
      const [eTag, value] = found[i] ?? [];
      if (eTag && value) items[key] = { ...(JSON.parse(value) as object), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    await Promise.all(
      Object.entries(changes).map(async ([key, item]) => {
        const { eTag, ...value } = (item ?? {}) as { eTag?: unknown };
        const written = await this.redis.kefuStateWrite(RedisStorage.keyOf(key), typeof eTag === 'string' ? eTag : '', newETag(), JSON.stringify(value), this.ttlOf(value));
        if (written !== 1) throw new StaleETagError(`storage: eTag conflict writing "${key}"`);
      }),
    );
  }

  async delete(stateKeys: string[]): Promise<void> {
    if (!stateKeys) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(stateKeys.map((key) => this.redis.del(RedisStorage.keyOf(key))));
  }
}
