import type { Storage, StoreItems } from 'botbuilder';
import crypto from 'node:crypto';
import type { RedisClient } from './connection';
import { keys } from './keys';

/**
 * Compare-and-set in one step: writes when the caller's eTag is empty or "*", when there is
 * nothing stored yet, or when it matches the stored one. Returns 0 for a stale eTag.
 * KEYS[1] the item; ARGV: expected eTag, new eTag, JSON, TTL in seconds (0: none).
 */
const WRITE = `
local expected = ARGV[1]
if expected ~= '' and expected ~= '*' then
  local current = redis.call('HGET', KEYS[1], 'e')
  if current and current ~= expected then return 0 end
end
redis.call('HSET', KEYS[1], 'e', ARGV[2], 'v', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
return 1
`;

export class StaleETagError extends Error {
  override readonly name = 'StaleETagError';
}

/** botbuilder's state keys are "<channel>/conversations/<id>/" and "<channel>/users/<id>/". */
function tagOf(key: string): string {
  const match = /^([^/]+)\/(conversations|users)\/(.+)\/$/.exec(key);
  if (!match) return key;
  return match[2] === 'conversations' ? `${match[1]}:${match[3]}` : `user:${match[1]}:${match[3]}`;
}

/**
 * botbuilder `Storage` on Redis with real optimistic concurrency: every item carries an
 * eTag; a write with a stale one is rejected, `*` (or none) overwrites. Items expire after
 * `ttlSeconds` without a write. Keys of a conversation share its hash tag.
 */
export class RedisStorage implements Storage {
  constructor(
    private readonly redis: RedisClient,
    private readonly ttlSeconds: number,
  ) {}

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
        const written = await this.redis.eval(
          WRITE,
          1,
          RedisStorage.keyOf(key),
          typeof eTag === 'string' ? eTag : '',
          crypto.randomUUID(),
          JSON.stringify(value),
          String(this.ttlSeconds),
        );
        if (written !== 1) throw new StaleETagError(`storage: eTag conflict writing "${key}"`);
      }),
    );
  }

  async delete(stateKeys: string[]): Promise<void> {
    if (!stateKeys) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(stateKeys.map((key) => this.redis.del(RedisStorage.keyOf(key))));
  }
}
