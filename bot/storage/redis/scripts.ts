import type { Result } from 'ioredis';
import type { RedisClient } from './connection';

/**
 * Every Lua script Kefu runs on Redis, registered with ioredis's `defineCommand`: each call
 * is one EVALSHA (the script is sent once per server), and a step that would otherwise be a
 * MULTI of several commands is one command — fewer writes on the socket per turn. Keys of
 * one script always share a hash tag, so they work in cluster mode.
 */
/**
 * Lifetimes of conversation keys (see bot/storage/stateTtl.ts): `reset` ('1') sets the TTL,
 * as a write on the user's behalf does; otherwise a key without one gets it and a longer one
 * is kept, so a bot reply or a notice never shortens what the user's message gave.
 */
const KEEP_LUA = `
local function keep(key, ttl, reset)
  if reset == '1' then return redis.call('EXPIRE', key, ttl) end
  redis.call('EXPIRE', key, ttl, 'NX')
  return redis.call('EXPIRE', key, ttl, 'GT')
end
`;

const SCRIPTS = {
  /**
   * Counts a hit in a fixed window: INCR, and the window's expiry set by the first hit.
   * KEYS[1] the counter; ARGV[1] the window in ms. Returns the count.
   */
  kefuCount: {
    numberOfKeys: 1,
    lua: `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
return n`,
  },
  /**
   * Appends to a list that keeps only its newest entries. KEYS[1] the list; ARGV[1] how many
   * to keep, ARGV[2] TTL in seconds (0: none), ARGV[3] '1' to reset the TTL (else kept, see
   * KEEP_LUA), ARGV[4..] the entries.
   */
  kefuAppendCapped: {
    numberOfKeys: 1,
    lua: `${KEEP_LUA}
redis.call('RPUSH', KEYS[1], unpack(ARGV, 4))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
if tonumber(ARGV[2]) > 0 then keep(KEYS[1], ARGV[2], ARGV[3]) end
return 1`,
  },
  /** Sets a key's lifetime (KEYS[1]; ARGV[1] TTL in seconds, ARGV[2] '1' to reset, see KEEP_LUA). */
  kefuKeep: {
    numberOfKeys: 1,
    lua: `${KEEP_LUA}
return keep(KEYS[1], ARGV[1], ARGV[2])`,
  },
  /** Sets a string keeping its lifetime as KEEP_LUA says (KEYS[1]; ARGV: value, TTL in seconds, reset). */
  kefuSetKept: {
    numberOfKeys: 1,
    lua: `${KEEP_LUA}
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return keep(KEYS[1], ARGV[2], ARGV[3])`,
  },
  /**
   * Compare-and-set of a state item: writes when the caller's eTag is empty or "*", when
   * nothing is stored yet, or when it matches the stored one. KEYS[1] the item; ARGV:
   * expected eTag, new eTag, JSON, TTL in seconds (0: none). Returns 0 for a stale eTag.
   */
  kefuStateWrite: {
    numberOfKeys: 1,
    lua: `
local expected = ARGV[1]
if expected ~= '' and expected ~= '*' then
  local current = redis.call('HGET', KEYS[1], 'e')
  if current and current ~= expected then return 0 end
end
redis.call('HSET', KEYS[1], 'e', ARGV[2], 'v', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[4]) else redis.call('PERSIST', KEYS[1]) end
return 1`,
  },
  /** Deletes a lock only if it is still ours (KEYS[1] the lock, ARGV[1] our token). */
  kefuLockRelease: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`,
  },
  /** Extends a lock's lease only if it is still ours (ARGV[2] the lease in ms). */
  kefuLockRenew: {
    numberOfKeys: 1,
    lua: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`,
  },
  /**
   * Sets fields of a record stored as a hash if its field ARGV[1] holds one of the values in
   * the JSON array ARGV[2] (each JSON-encoded); ARGV[3..] field, value pairs. 1 when set, 0
   * when the record is missing or the field holds another value.
   */
  kefuCompareAndSet: {
    numberOfKeys: 1,
    lua: `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
local accepted = false
for _, value in ipairs(cjson.decode(ARGV[2])) do
  if value == current then accepted = true end
end
if not accepted then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`,
  },
  /**
   * Opens a handoff unless the conversation has one open, so two instances asked at once
   * open one. KEYS: open-by-conversation, open ids, the record; ARGV[1] the conversation,
   * ARGV[2] the id, ARGV[3..] field, value pairs. Returns the open handoff's id.
   */
  kefuHandoffOpen: {
    numberOfKeys: 3,
    lua: `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[2])
return ARGV[2]`,
  },
  /**
   * A queued handoff claimed by an agent, unless the agent already holds the limit of active
   * chats: counted and claimed in one step, so an agent's claims at once on any instance are
   * taken one by one. The count reads every open handoff's record (the open ids are few, and
   * always agree with the records, where a per-agent index could drift); those records share
   * KEYS[1]'s slot ({kefu}), so this works in cluster mode. KEYS: the record, the open ids;
   * ARGV: the records' key prefix, the agent id (JSON), the limit (-1: none), field, value
   * pairs to set. Returns {'claimed', field, value, …} with the record, or {'not-queued'} /
   * {'at-limit'}.
   */
  kefuHandoffClaim: {
    numberOfKeys: 2,
    lua: `
if redis.call('HGET', KEYS[1], 'status') ~= '"queued"' then return {'not-queued'} end
local limit = tonumber(ARGV[3])
if limit >= 0 then
  local held = 0
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    local h = redis.call('HMGET', ARGV[1] .. id, 'status', 'agentId')
    if h[1] == '"active"' and h[2] == ARGV[2] then held = held + 1 end
  end
  if held >= limit then return {'at-limit'} end
end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local result = redis.call('HGETALL', KEYS[1])
table.insert(result, 1, 'claimed')
return result`,
  },
  /**
   * After a handoff closed: out of the open indexes, into the conversation's "last closed"
   * (kept ARGV[3] seconds, like the handoff itself). KEYS: open-by-conversation, open ids,
   * the conversation's last closed; ARGV: conversation, id, lifetime.
   */
  kefuHandoffClose: {
    numberOfKeys: 3,
    lua: `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('SREM', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3])
return 1`,
  },
  /**
   * Reserves a sign-in attempt on several counters at once (bot/handoff/signInLimits.ts;
   * bot/storage/memory/sessionStore.ts's MemoryAttemptStore is the twin): if a counter still
   * makes the next attempt wait, counts nothing and returns the wait in ms; otherwise counts
   * the attempt on each and returns 0.
   * Each counter is a hash {n, last}, forgotten ARGV[1] ms after its last count; ARGV[1 + i]
   * is KEYS[i]'s delays as a JSON array (delays[n] ms after the n-th attempt, the last repeats).
   * Redis's clock, so instances with skewed clocks agree.
   */
  // No numberOfKeys: the caller passes it first (as many keys as counters).
  kefuAttemptReserve: {
    lua: `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local state = redis.call('HMGET', key, 'n', 'last')
  local n = tonumber(state[1] or '0')
  if n > 0 then
    local delays = cjson.decode(ARGV[i + 1])
    local open = tonumber(state[2] or '0') + delays[math.min(n, #delays)]
    if open - now > wait then wait = open - now end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'n', 1)
  redis.call('HSET', key, 'last', now)
  redis.call('PEXPIRE', key, ARGV[1])
end
return 0`,
  },
  /** Takes one counted attempt back from each counter (KEYS); a counter at 0 is deleted. */
  kefuAttemptRefund: {
    lua: `
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and redis.call('HINCRBY', key, 'n', -1) <= 0 then redis.call('DEL', key) end
end
return 1`,
  },
  /**
   * Appends to a Direct Line conversation's log and returns the new activity's sequence
   * number (the log's offset plus its length before the push), trimming the oldest beyond
   * the cap; -1 when the conversation does not exist. KEYS: log, offset, meta; ARGV:
   * activity JSON, cap, TTL seconds, '1' when the user wrote it (resets the TTL of all three,
   * else they are kept as KEEP_LUA says).
   */
  kefuDirectLineAppend: {
    numberOfKeys: 3,
    lua: `${KEEP_LUA}
if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
local seq = tonumber(redis.call('GET', KEYS[2]) or '0') + redis.call('LLEN', KEYS[1])
redis.call('RPUSH', KEYS[1], ARGV[1])
if redis.call('LLEN', KEYS[1]) > tonumber(ARGV[2]) then
  redis.call('LPOP', KEYS[1])
  redis.call('INCR', KEYS[2])
end
for i = 1, 3 do keep(KEYS[i], ARGV[3], ARGV[4]) end
return seq`,
  },
  /**
   * Issues a one-time code: refused while the current one is younger than the resend wait,
   * else counted against the number's day, and stored (replacing the old one) while under
   * the day's cap. KEYS: the code (a hash), the day's send counter; ARGV: HMAC, sent at,
   * expires at, TTL ms, resend wait ms, sends per day, counter TTL ms. Returns
   * {status, ms to wait}.
   */
  kefuOtpIssue: {
    numberOfKeys: 2,
    lua: `
local sentAt = redis.call('HGET', KEYS[1], 'sentAt')
if sentAt then
  local since = tonumber(ARGV[2]) - tonumber(sentAt)
  if since < tonumber(ARGV[5]) then return {'too-soon', tonumber(ARGV[5]) - since} end
end
local sends = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[7], 'NX')
if sends > tonumber(ARGV[6]) then return {'daily-limit', 0} end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'sentAt', ARGV[2], 'expiresAt', ARGV[3], 'attempts', '0')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'issued', 0}`,
  },
  /**
   * Checks a guess against a one-time code and counts it, in one step: an expired code, the
   * right guess and the last allowed wrong one delete the code, so no guess after it is
   * compared and a code is accepted once. (Both sides are HMACs under a secret the caller
   * holds: comparing them with == tells a timing observer nothing about the code.)
   * KEYS[1] the code; ARGV: HMAC of the guess, now, attempts allowed. Returns
   * {status, attempts left}.
   */
  kefuOtpCheck: {
    numberOfKeys: 1,
    lua: `
local code = redis.call('HMGET', KEYS[1], 'hash', 'expiresAt')
if not code[1] then return {'none', 0} end
if tonumber(code[2]) <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return {'expired', 0}
end
if code[1] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'ok', 0}
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts >= tonumber(ARGV[3]) then
  redis.call('DEL', KEYS[1])
  return {'used-up', 0}
end
return {'wrong', tonumber(ARGV[3]) - attempts}`,
  },
  /**
   * Compare-and-set of a demo account (a field of one hash, stored as JSON): writes the new
   * JSON only while the stored one is still the expected one and, when the number changes,
   * no account has the new number. KEYS[1] the accounts; ARGV: id, expected JSON, new
   * JSON, the new number ('' when unchanged). 1 when written.
   */
  kefuAccountReplace: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[4] ~= '' then
  for _, raw in ipairs(redis.call('HVALS', KEYS[1])) do
    if cjson.decode(raw).phone == ARGV[4] then return 0 end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`,
  },
  /**
   * Adds to a counter unless that would pass a cap (an upload quota). KEYS[1] the counter;
   * ARGV: amount, cap, TTL seconds. 1 when added, 0 when the cap would be passed.
   */
  kefuReserve: {
    numberOfKeys: 1,
    lua: `
local n = tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[1])
if n > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], n, 'EX', ARGV[3])
return 1`,
  },
  /**
   * Keeps the index of every uploaded file within the overall cap. KEYS: the index (ids
   * scored by expiry in ms), sizes by id, the total; ARGV: id, size, expiry, now, cap.
   * Expired files leave the index; beyond the cap the oldest go. Returns the ids to delete.
   */
  kefuTrackUpload: {
    numberOfKeys: 3,
    lua: `
local total = tonumber(redis.call('GET', KEYS[3]) or '0')
local function drop(id)
  total = total - tonumber(redis.call('HGET', KEYS[2], id) or '0')
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[1], id)
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[4], 'LIMIT', 0, 1000)) do drop(id) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
total = total + tonumber(ARGV[2])
local evicted = {}
while total > tonumber(ARGV[5]) do
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not oldest or oldest == ARGV[1] then break end
  drop(oldest)
  table.insert(evicted, oldest)
end
redis.call('SET', KEYS[3], math.max(total, 0))
return evicted`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    kefuCount(key: string, windowMs: number): Result<number, Context>;
    kefuAppendCapped(key: string, keep: number, ttlSeconds: number, reset: '1' | '0', ...entries: string[]): Result<number, Context>;
    kefuKeep(key: string, ttlSeconds: number, reset: '1' | '0'): Result<number, Context>;
    kefuSetKept(key: string, value: string, ttlSeconds: number, reset: '1' | '0'): Result<number, Context>;
    kefuStateWrite(key: string, expectedETag: string, newETag: string, json: string, ttlSeconds: number): Result<number, Context>;
    kefuLockRelease(key: string, token: string): Result<number, Context>;
    kefuLockRenew(key: string, token: string, leaseMs: number): Result<number, Context>;
    kefuCompareAndSet(key: string, field: string, acceptedJson: string, ...pairs: string[]): Result<number, Context>;
    kefuHandoffOpen(openByConversation: string, openIds: string, record: string, conversation: string, id: string, ...pairs: string[]): Result<string, Context>;
    kefuHandoffClaim(record: string, openIds: string, recordPrefix: string, agentJson: string, limit: number, ...pairs: string[]): Result<string[], Context>;
    kefuHandoffClose(openByConversation: string, openIds: string, lastClosed: string, conversation: string, id: string, lifetimeS: number): Result<number, Context>;
    kefuAttemptReserve(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Result<number, Context>;
    kefuAttemptRefund(numberOfKeys: number, ...keys: string[]): Result<number, Context>;
    kefuDirectLineAppend(log: string, offset: string, meta: string, json: string, cap: number, ttlSeconds: number, byUser: '1' | '0'): Result<number, Context>;
    kefuOtpIssue(
      code: string,
      sends: string,
      hash: string,
      sentAt: number,
      expiresAt: number,
      ttlMs: number,
      resendAfterMs: number,
      maxSends: number,
      counterTtlMs: number,
    ): Result<[string, number], Context>;
    kefuOtpCheck(code: string, hash: string, now: number, maxAttempts: number): Result<[string, number], Context>;
    kefuAccountReplace(accounts: string, id: string, expectedJson: string, nextJson: string, newPhone: string): Result<number, Context>;
    kefuReserve(counter: string, amount: number, cap: number, ttlSeconds: number): Result<number, Context>;
    kefuTrackUpload(index: string, sizes: string, total: string, id: string, size: number, expiresAtMs: number, nowMs: number, cap: number): Result<string[], Context>;
  }
}

const ready = new WeakSet<RedisClient>();

/** Registers Kefu's scripts on a client (once; every Redis-backed store calls it). */
export function withScripts(redis: RedisClient): RedisClient {
  if (ready.has(redis)) return redis;
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
  ready.add(redis);
  return redis;
}
