import type { RedisClient } from './connection';
import { withScripts } from './scripts';

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

/** A flat [field, value, field, value, …] reply (HGETALL from a script) as pairs. */
export function pairsOf(flat: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}

export async function readRecord<T>(redis: RedisClient, key: string): Promise<T | undefined> {
  return fromFields<T>(await redis.hgetall(key));
}

/** Sets `patch` on the record if its `field` is one of `accepted`; true when it did. */
export async function compareAndSet(redis: RedisClient, key: string, field: string, accepted: readonly unknown[], patch: object): Promise<boolean> {
  const pairs = Object.entries(toFields(patch)).flat();
  return (await withScripts(redis).kefuCompareAndSet(key, field, JSON.stringify(accepted.map((v) => JSON.stringify(v))), ...pairs)) === 1;
}
