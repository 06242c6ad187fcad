import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { MemoryDirectLineStore } from '../../bot/storage/memory/directLineStore';
import { MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { ExpiringMap } from '../../bot/storage/expiringMap';
import { ExpiringMemoryStorage } from '../../bot/storage/memory/storage';
import { JsonlKbSignalLog } from '../../bot/storage/kbSignalLog';
import { MemoryOtpStore } from '../../bot/storage/memory/otpStore';
import { MemoryRateLimiter } from '../../bot/storage/memory/rateLimit';
import { SEND_COUNTER_TTL_MS } from '../../bot/services/otp';
import { ENGAGED_PROPERTY, stateTtlOf } from '../../bot/storage/stateTtl';

/**
 * Memory mode keeps nothing for ever: every per-conversation and per-client map forgets idle
 * entries (short until the user has written), without a timer per key.
 */

const ttl = { engagedS: 100, anonymousS: 10 };
function clock() {
  const c = { t: 1_000_000, now: () => c.t, advance: (s: number) => (c.t += s * 1000) };
  return c;
}

test('ExpiringMap: an entry is gone once its time is up; a sweep on a later write drops the ones nobody reads', () => {
  const c = clock();
  const expired: string[] = [];
  const map = new ExpiringMap<string, number>(1000, c.now, (key) => expired.push(key));
  for (let i = 0; i < 100; i++) map.set(`k${i}`, i, 5000);
  map.set('long', 1, 60_000);
  c.advance(6);
  expect(map.get('k1')).toBeUndefined();
  map.set('new', 1, 5000);
  expect(map.size).toBe(2);
  expect(expired).toHaveLength(100);
  // extend keeps the longer lifetime; reset sets it.
  map.set('long', 2, 1000, 'extend');
  c.advance(30);
  expect(map.get('long')).toBe(2);
  map.touch('long', 1000, 'reset');
  c.advance(2);
  expect(map.has('long')).toBe(false);
});

test('the anonymous lifetime is never longer than the full one', () => {
  expect(stateTtlOf({ STATE_TTL_S: 60, STATE_TTL_ANONYMOUS_S: 7200 })).toMatchObject({ engagedS: 60, anonymousS: 60 });
});

test('Direct Line conversations in memory: one nobody wrote in goes after the short lifetime, one the user wrote in after the full one', async () => {
  const c = clock();
  const store = new MemoryDirectLineStore(ttl, { conversationBytes: 1 << 20, totalBytes: 1 << 24 }, c.now);
  for (const id of ['anon', 'used']) await store.create({ id, userId: `dl_${id}`, createdAt: '' });
  await store.append('anon', { type: 'message', from: { id: 'kefu-bot', name: 'Kefu', role: 'bot' } } as Partial<Activity>);
  await store.append('used', { type: 'message', text: 'hi', from: { id: 'dl_used', name: '', role: 'user' } } as Partial<Activity>);
  c.advance(11);
  expect(await store.get('anon')).toBeUndefined();
  expect(await store.get('used')).toBeDefined();
  // A bot reply later does not shorten it; the full lifetime after the user's message, it goes.
  await store.append('used', { type: 'message', from: { id: 'kefu-bot', name: 'Kefu', role: 'bot' } } as Partial<Activity>);
  c.advance(80);
  expect(await store.get('used')).toBeDefined();
  c.advance(10);
  expect(await store.get('used')).toBeUndefined();
  expect((await store.since('used', undefined)).activities).toEqual([]);
});

test('bot state in memory: an item without the engaged mark lives the short time, with it the full time', async () => {
  const c = clock();
  const storage = new ExpiringMemoryStorage(ttl, c.now);
  await storage.write({ 'directline/conversations/a/': { 'kefu.root': 1 }, 'directline/conversations/b/': { 'kefu.root': 1, [ENGAGED_PROPERTY]: true } });
  c.advance(11);
  expect(Object.keys(await storage.read(['directline/conversations/a/', 'directline/conversations/b/']))).toEqual(['directline/conversations/b/']);
  c.advance(90);
  expect(await storage.read(['directline/conversations/b/'])).toEqual({});
});

test('handoff references and transcripts in memory: short until a user line, then the full time', async () => {
  const c = clock();
  const store = new MemoryHandoffStore(c.now, ttl);
  await store.saveReference('anon', { channelId: 'directline' });
  await store.appendTranscript('anon', [{ at: c.t, from: 'bot', text: 'welcome' }], 10);
  await store.saveReference('used', { channelId: 'directline' });
  await store.appendTranscript('used', [{ at: c.t, from: 'user', text: 'hi' }], 10);
  c.advance(11);
  expect(await store.reference('anon')).toBeUndefined();
  expect(await store.transcript('anon')).toEqual([]);
  // Saving the reference again (a later turn) does not shorten the full lifetime.
  await store.saveReference('used', { channelId: 'directline' });
  c.advance(80);
  expect(await store.reference('used')).toEqual({ channelId: 'directline' });
  expect(await store.transcript('used')).toHaveLength(1);
  c.advance(20);
  expect(await store.reference('used')).toBeUndefined();
});

test('conversations that went idle leave nothing behind in any memory store: keys, transcripts, references, logs, files, codes', async () => {
  const c = clock();
  const storage = new ExpiringMemoryStorage(ttl, c.now);
  const handoff = new MemoryHandoffStore(c.now, ttl);
  const directLine = new MemoryDirectLineStore(ttl, { conversationBytes: 1 << 20, totalBytes: 1 << 24 }, c.now);
  const otp = new MemoryOtpStore(c.now);
  const converse = async (id: string) => {
    await storage.write({ [`directline/conversations/${id}/`]: { 'kefu.root': { value: 'idle' }, [ENGAGED_PROPERTY]: true } });
    await handoff.saveReference(`directline:${id}`, { channelId: 'directline', conversation: { id, isGroup: false, conversationType: '', name: '' } });
    await handoff.appendTranscript(`directline:${id}`, [{ at: c.t, from: 'user', text: '忘记密码怎么办' }, { at: c.t, from: 'bot', text: '可以通过注册手机号找回。' }], 10);
    await directLine.create({ id, userId: `dl_${id}`, createdAt: '' });
    await directLine.append(id, { type: 'message', text: '忘记密码怎么办', from: { id: `dl_${id}`, name: '', role: 'user' } } as Partial<Activity>);
    await directLine.putAttachment(id, `${id}-file`, { contentType: 'image/png', name: 'a.png', data: Buffer.alloc(100), sniffed: true });
    await otp.issue({ phone: id, purpose: 'unlock' }, '2026-11-22', { hash: 'ab', sentAt: c.t, expiresAt: c.t + 300_000, attempts: 0 });
  };
  for (let i = 0; i < 200; i++) await converse(`c${i}`);
  expect([storage.size, handoff.conversationsHeld, directLine.held.conversations, directLine.held.attachments]).toEqual([200, 200, 200, 200]);
  expect(otp.held).toBe(400);
  // Past every lifetime (the daily send counters are the longest); one new conversation's writes sweep.
  c.advance(SEND_COUNTER_TTL_MS / 1000 + 1);
  await converse('new');
  expect([storage.size, handoff.conversationsHeld, directLine.held.conversations, directLine.held.attachments]).toEqual([1, 1, 1, 1]);
  expect(otp.held).toBe(2);
});

test('bot state in memory: a read is a copy, a stale eTag is refused, "*" overwrites', async () => {
  const storage = new ExpiringMemoryStorage(ttl);
  const key = 'directline/conversations/a/';
  await storage.write({ [key]: { 'kefu.root': { value: 'idle' } } });
  const first = (await storage.read([key]))[key] as { 'kefu.root': { value: string }; eTag: string };
  first['kefu.root'].value = 'changed by a caller';
  expect(((await storage.read([key]))[key] as typeof first)['kefu.root'].value).toBe('idle');
  await storage.write({ [key]: { ...first, 'kefu.root': { value: 'next' } } });
  await expect(storage.write({ [key]: { ...first, 'kefu.root': { value: 'stale' } } })).rejects.toThrow(/eTag/);
  await storage.write({ [key]: { 'kefu.root': { value: 'forced' }, eTag: '*' } });
  expect(((await storage.read([key]))[key] as typeof first)['kefu.root'].value).toBe('forced');
});

test('rate-limit windows in memory are forgotten once over', async () => {
  const c = clock();
  const limiter = new MemoryRateLimiter(c.now);
  expect(await limiter.hit('a', 1000)).toBe(1);
  expect(await limiter.hit('a', 1000)).toBe(2);
  c.advance(2);
  expect(await limiter.hit('a', 1000)).toBe(1);
});

test('the signals file is rotated before it passes its size; only the newest files are kept, and read oldest first', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-signals-unit-'));
  try {
    const file = path.join(dir, 'signals.jsonl');
    const log = new JsonlKbSignalLog(file, { maxBytes: 600, keep: 2 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append({ kind: 'unanswered', question: `问题 ${String(i).padStart(2, '0')} ${'x'.repeat(100)}`, locale: 'zh-CN' }, 'c')));
    expect(fs.readdirSync(dir).sort()).toEqual(['signals.jsonl', 'signals.jsonl.1', 'signals.jsonl.2']);
    for (const name of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, name)).size).toBeLessThanOrEqual(600);
    const kept = (await log.list()).map((s) => s.question.slice(0, 5));
    expect(kept.at(-1)).toBe('问题 19');
    expect(kept).toEqual([...kept].sort());
    expect(kept.length).toBeLessThan(20);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
