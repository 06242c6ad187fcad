import { Cluster, type Redis } from 'ioredis';
import { ATTACHMENTS_PATH } from '../../channels/directline/publicUrl';
import { durableRecordSchema, type DurableRecord } from '../../records/schema';
import type { RedisClient } from '../redis/connection';
import { keys } from '../redis/keys';
import type { SubjectScope } from './privacy';

/**
 * The Redis side of erasing a user's data (`npm run privacy -- delete`): the live state of
 * their conversations (bot state, lock, reference, recent transcript, the embedded Direct
 * Line's log — all under the conversation's hash tag), the files they uploaded, their
 * handoffs and tickets as the console holds them, KB signals, and records still waiting in the
 * outbox. Key names follow bot/storage/redis/*.ts.
 */

const FILE_ID = new RegExp(`${ATTACHMENTS_PATH.replace(/\//g, '\\/')}([A-Za-z0-9_-]{16,64})`, 'g');
const SCAN_COUNT = 500;
const OUTBOX_PAGE = 500;

/** A key as a SCAN MATCH pattern matching only itself. */
const globEscaped = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** The ids of the embedded Direct Line's files named anywhere in `texts` (transcript lines, activity logs). */
export const fileIdsIn = (texts: readonly string[]): string[] => [...new Set(texts.flatMap((text) => [...text.matchAll(FILE_ID)].map((m) => m[1] ?? '')))];

const nodesOf = (redis: RedisClient): Redis[] => (redis instanceof Cluster ? redis.nodes('master') : [redis]);

async function scanAll(redis: RedisClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of nodesOf(redis)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}

/** Keys of one conversation: every part under its hash tag. */
export const conversationKeys = (redis: RedisClient, conversation: string) => scanAll(redis, `${globEscaped(keys.conversation(conversation, ''))}*`);

/** Whether a queued record belongs to the scope (or names the number's key). */
export function recordInScope(record: DurableRecord, scope: SubjectScope, phoneKey: string): boolean {
  const conversations = new Set(scope.conversations);
  switch (record.kind) {
    case 'line':
      return conversations.has(record.conversation);
    case 'handoff':
      return conversations.has(record.handoff.conversation);
    case 'note':
      return scope.handoffIds.includes(record.handoffId);
    case 'ticket':
      return conversations.has(record.ticket.conversation) || scope.ticketIds.includes(record.ticket.id);
    case 'subject':
      return record.phoneKey === phoneKey || conversations.has(record.conversation);
    case 'signal':
      return scope.signalConversations.includes(record.conversation);
    case 'staff':
    case 'count':
      return false;
  }
}

/**
 * Deletes the outbox entries (not yet written to PostgreSQL) that carry any record of the
 * scope, so no drainer writes them back after the erasure. The whole push goes: its other
 * records belong to the same turn.
 */
export async function eraseFromOutbox(redis: RedisClient, scope: SubjectScope, phoneKey: string): Promise<number> {
  const stream = keys.shared('outbox');
  let erased = 0;
  let from = '-';
  for (;;) {
    const page = (await redis.xrange(stream, from, '+', 'COUNT', OUTBOX_PAGE)) as [string, string[]][];
    const doomed = page.filter(([, fields]) => {
      try {
        const parsed = durableRecordSchema.array().safeParse(JSON.parse(fields[1] ?? 'null'));
        return parsed.success && parsed.data.some((record) => recordInScope(record, scope, phoneKey));
      } catch {
        return false;
      }
    });
    if (doomed.length > 0) erased += await redis.xdel(stream, ...doomed.map(([id]) => id));
    if (page.length < OUTBOX_PAGE) return erased;
    from = `(${page[page.length - 1]?.[0] ?? '0'}`;
  }
}

/** Everything Redis names of the scope besides its own keys: extra handoffs, tickets and the files. */
export async function hotScopeOf(redis: RedisClient, scope: SubjectScope, storedLines: readonly string[]): Promise<{ handoffIds: string[]; ticketIds: string[]; fileIds: string[] }> {
  const handoffIds = new Set(scope.handoffIds);
  const texts = [...storedLines];
  for (const conversation of scope.conversations) {
    const [open, closed, closedBefore] = await Promise.all([
      redis.hget(keys.shared('handoffs:open-by-conversation'), conversation),
      redis.get(keys.shared(`handoffs:last-closed:${conversation}`)),
      redis.hget(keys.shared('handoffs:last-closed-by-conversation'), conversation),
    ]);
    for (const id of [open, closed, closedBefore]) if (id) handoffIds.add(id);
    // The recent transcript and the Direct Line log name the files.
    for (const key of await conversationKeys(redis, conversation)) {
      const type = await redis.type(key);
      if (type === 'list') texts.push(...(await redis.lrange(key, 0, -1)));
    }
  }
  const ticketIds = new Set(scope.ticketIds);
  const conversations = new Set(scope.conversations);
  for (const id of await redis.smembers(keys.shared('tickets'))) {
    if (conversations.has((await redis.hget(keys.shared(`ticket:${id}`), 'conversation')) ?? '')) ticketIds.add(id);
  }
  return { handoffIds: [...handoffIds], ticketIds: [...ticketIds], fileIds: fileIdsIn(texts) };
}

export interface HotErased {
  keys: number;
  files: number;
  kbSignals: number;
}

/** Deletes the scope's hot state, key by key (in a cluster they live in different slots). */
export async function eraseHotState(redis: RedisClient, scope: SubjectScope, hot: { handoffIds: string[]; ticketIds: string[]; fileIds: string[] }): Promise<HotErased> {
  const del = async (key: string) => redis.del(key);
  let erasedKeys = 0;
  for (const conversation of scope.conversations) {
    for (const key of await conversationKeys(redis, conversation)) erasedKeys += await del(key);
    await redis.hdel(keys.shared('handoffs:open-by-conversation'), conversation);
    erasedKeys += await del(keys.shared(`handoffs:last-closed:${conversation}`));
    // Written by instances before 2026-12: one hash for every conversation.
    await redis.hdel(keys.shared('handoffs:last-closed-by-conversation'), conversation);
  }
  for (const id of hot.handoffIds) {
    for (const part of [`handoff:${id}`, `handoff:${id}:notes`, `handoff:${id}:teams-card`]) erasedKeys += await del(keys.shared(part));
    await redis.srem(keys.shared('handoffs:open'), id);
    await redis.zrem(keys.shared('handoffs:closed-by-time'), id);
  }
  for (const id of hot.ticketIds) {
    erasedKeys += await del(keys.shared(`ticket:${id}`));
    await redis.srem(keys.shared('tickets'), id);
  }
  let files = 0;
  for (const id of hot.fileIds) {
    const size = Number((await redis.hget(keys.shared('dl:file-sizes'), id)) ?? 0);
    files += await del(keys.conversation(`file:${id}`, 'file'));
    await redis.zrem(keys.shared('dl:files'), id);
    if ((await redis.hdel(keys.shared('dl:file-sizes'), id)) > 0 && size > 0) await redis.decrby(keys.shared('dl:file-bytes'), size);
  }
  return { keys: erasedKeys, files, kbSignals: await eraseSignals(redis, new Set(scope.signalConversations)) };
}

/** The shared KB signal list keeps the newest signals with their conversation's hash. */
async function eraseSignals(redis: RedisClient, hashes: ReadonlySet<string>): Promise<number> {
  const list = keys.shared('kb-signals');
  let erased = 0;
  for (const raw of await redis.lrange(list, 0, -1)) {
    let conversation: unknown;
    try {
      conversation = (JSON.parse(raw) as { conversation?: unknown }).conversation;
    } catch {
      continue;
    }
    if (typeof conversation === 'string' && hashes.has(conversation)) erased += await redis.lrem(list, 0, raw);
  }
  return erased;
}

/**
 * What Redis keeps under the number itself: its one-time codes and send counters, and in
 * development the SMS outbox's messages to it (the demo directory's accounts are the
 * platform's, not Kefu's records, and stay).
 */
export async function eraseNumberState(redis: RedisClient, phone: string): Promise<number> {
  let erased = 0;
  for (const key of await scanAll(redis, `${globEscaped(keys.otp(phone, ''))}*`)) erased += await redis.del(key);
  const devOutbox = keys.shared('dev:outbox');
  for (const raw of await redis.lrange(devOutbox, 0, -1)) {
    let to: unknown;
    try {
      to = (JSON.parse(raw) as { phone?: unknown }).phone;
    } catch {
      continue;
    }
    if (to === phone) erased += await redis.lrem(devOutbox, 0, raw);
  }
  return erased;
}
