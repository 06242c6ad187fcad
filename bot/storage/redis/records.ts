import type { RedisClient } from './connection';

/**
 * Records stored as Redis hashes, one JSON-encoded field per top-level property, so a Lua
 * script can compare-and-set one field (the status) and set others without parsing JSON.
 */
export function toFields(record: object): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined).map(([name, value]) => [name, JSON.stringify(value)]));
}

export function fromFields<T>(fields: Record<string, string>): T | undefined {
  if (Object.keys(fields).length === 0) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, JSON.parse(value) as unknown])) as T;
}

/**
 * KEYS[1] the record; ARGV[1] the field compared; ARGV[2] a JSON array of accepted values
 * (each JSON-encoded); ARGV[3..] field, value pairs to set. 1 when set, 0 when the record
 * is missing or the field holds another value.
 */
export const COMPARE_AND_SET = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
local accepted = false
for _, value in ipairs(cjson.decode(ARGV[2])) do
  if value == current then accepted = true end
end
if not accepted then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`;

export async function readRecord<T>(redis: RedisClient, key: string): Promise<T | undefined> {
  return fromFields<T>(await redis.hgetall(key));
}

/** Sets `patch` on the record if its `field` is one of `accepted`; true when it did. */
export async function compareAndSet(redis: RedisClient, key: string, field: string, accepted: readonly unknown[], patch: object): Promise<boolean> {
  const pairs = Object.entries(toFields(patch)).flat();
  const done = await redis.eval(COMPARE_AND_SET, 1, key, field, JSON.stringify(accepted.map((v) => JSON.stringify(v))), ...pairs);
  return done === 1;
}
