import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import Redis from 'ioredis';
import { loadConfig } from '../../bot/config';
import { hashId } from '../../bot/logger';
import { phoneKeyOf } from '../../bot/records/phoneKey';
import { recordId } from '../../bot/records/recordId';
import { runPrivacy } from '../../bot/storage/postgres/privacyCommand';
import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { latestCode, startKefu, TEST_DIRECTLINE_SECRET, type RunningKefu } from '../support/kefuServer';
import { PostgresServer, queryOnce } from '../support/postgres';
import { RedisServer } from '../support/redis';
import { until } from '../support/until';
import { SHARED_ENV } from '../support/cluster';

/**
 * A user's rights end to end: two users use the bot (one through the embedded Direct Line with
 * a file, a handoff, a note), then with the bot stopped `npm run privacy` exports the first
 * user's data, masked and nothing of the other's, and erases it — no trace left in any table,
 * in Redis, in the outbox or among the files — while the other user's records stay.
 */
jest.setTimeout(120_000);

const SECRET = 'privacy-test-secret-0123456789';
const A_PHONE = '13800000002';
const B_PHONE = '13800000003';
let pg: PostgresServer;
let redis: RedisServer;
let kefu: RunningKefu | undefined;
let env: Record<string, string>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-privacy-'));

beforeAll(async () => {
  [pg, redis] = await Promise.all([PostgresServer.start(), RedisServer.start()]);
  env = { ...SHARED_ENV, DATABASE_URL: pg.url, REDIS_URL: redis.url, RECORDS_SECRET: SECRET };
  kefu = await startKefu(env);
});
afterAll(async () => {
  await kefu?.stop();
  await Promise.all([pg?.destroy(), redis?.destroy()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A user of the embedded Direct Line, as Web Chat talks to it over HTTP. */
class DirectLineUser {
  private constructor(
    private readonly base: string,
    readonly conversationId: string,
    private readonly token: string,
  ) {}

  static async start(url: string): Promise<DirectLineUser> {
    const base = `${url}/v3/directline`;
    const grant = (await (await fetch(`${base}/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${TEST_DIRECTLINE_SECRET}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { conversationId: string; token: string };
    const user = new DirectLineUser(base, grant.conversationId, grant.token);
    await user.call('/conversations', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    return user;
  }

  private call(suffix: string, init: RequestInit = {}) {
    return fetch(`${this.base}${suffix}`, { ...init, headers: { authorization: `Bearer ${this.token}`, ...(init.headers as Record<string, string> | undefined) } });
  }

  async activities(): Promise<{ from: { id: string }; text?: string; attachments?: { contentUrl: string }[] }[]> {
    return ((await (await this.call(`/conversations/${this.conversationId}/activities`)).json()) as { activities: { from: { id: string }; text?: string }[] }).activities;
  }

  private async botCount() {
    return (await this.activities()).filter((a) => a.from.id === 'kefu-bot').length;
  }

  /** Says `text` and waits for the bot's answer. */
  async say(text: string): Promise<void> {
    const before = await this.botCount();
    const sent = await this.call(`/conversations/${this.conversationId}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', from: { id: 'u' }, text }) });
    expect(sent.status).toBe(200);
    await until(async () => (await this.botCount()) > before);
  }

  /** Sends a screenshot; answers its link. */
  async upload(): Promise<string> {
    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify({ type: 'message', text: '截图在这里' })], { type: 'application/vnd.microsoft.activity' }));
    form.append('file', new Blob([PNG.sync.write(new PNG({ width: 4, height: 4 }))], { type: 'image/png' }), '截图.png');
    expect((await this.call(`/conversations/${this.conversationId}/upload?userId=u`, { method: 'POST', body: form })).status).toBe(200);
    const link = (await this.activities()).flatMap((a) => a.attachments ?? [])[0]?.contentUrl;
    if (!link) throw new Error('the upload has no link');
    return link;
  }
}

const rows = (sql: string, values: unknown[] = []) => queryOnce(pg.url, sql, values);
const TABLES = ['conversation_lines', 'handoffs', 'handoff_notes', 'tickets', 'subjects', 'kb_signals', 'staff_actions', 'applied_records'];
/** Rows of any table whose text mentions one of `needles` (ids, hashes, keys). */
async function traces(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of TABLES) {
    for (const needle of needles) {
      const hits = await rows(`SELECT count(*) AS n FROM ${table} t WHERE strpos(t::text, $1) > 0`, [needle]);
      if (Number(hits[0]?.n) > 0) found.push(`${table}: ${needle}`);
    }
  }
  return found;
}
async function redisKeysMentioning(needle: string): Promise<string[]> {
  const client = new Redis(redis.url);
  try {
    const found: string[] = [];
    // The demo directory is the wallet platform's account list, not a record Kefu keeps about the user.
    for (const key of (await client.keys('*')).filter((k) => k !== 'kefu:{kefu}:demo:accounts')) {
      if (key.includes(needle)) found.push(key);
      const type = await client.type(key);
      const text = type === 'string' ? await client.get(key) : type === 'list' ? (await client.lrange(key, 0, -1)).join('\n') : type === 'hash' ? JSON.stringify(await client.hgetall(key)) : type === 'stream' ? JSON.stringify(await client.xrange(key, '-', '+')) : type === 'set' ? (await client.smembers(key)).join('\n') : type === 'zset' ? (await client.zrange(key, 0, -1)).join('\n') : '';
      if (text?.includes(needle)) found.push(`${key} (value)`);
    }
    return found;
  } finally {
    client.disconnect();
  }
}

const privacy = async (...argv: string[]) => {
  const said: string[] = [];
  const code = await runPrivacy(argv, loadConfig({ ...env, LOG_LEVEL: 'silent' }, 'tool'), { log: (l) => said.push(l), error: (l) => said.push(l) });
  return { code, said: said.join('\n') };
};

test('export holds the user’s data masked and nothing of another user; delete leaves no trace while the other user’s records stay', async () => {
  const running = kefu!;
  // User A: unlock with their number through the embedded Direct Line, a screenshot, then a person.
  const a = await DirectLineUser.start(running.url);
  await a.say('帮我解锁账户');
  await a.say(A_PHONE);
  await a.say(await latestCode(running.url, A_PHONE));
  const file = await a.upload();
  expect((await fetch(file)).status).toBe(200);
  // An agent is at work (the console open), so the chat queues for them.
  const wang = await AgentClient.signIn(running.url, ...DEMO_AGENTS.wang);
  const events = await wang.stream();
  await a.say('转人工');
  const board = (await wang.get<{ queue: { id: string }[] }>('/api/agent/board')).body;
  if (!board.queue[0]) throw new Error(`nothing queued; the bot said: ${JSON.stringify((await a.activities()).map((x) => x.text))}`);
  const handoffId = board.queue[0].id;
  expect((await wang.post(`/api/agent/chats/${handoffId}/claim`)).status).toBe(200);
  expect((await wang.post(`/api/agent/chats/${handoffId}/notes`, { text: `用户 ${A_PHONE} 已核实` })).status).toBe(200);
  expect((await wang.post(`/api/agent/chats/${handoffId}/resolve`)).status).toBe(200);
  events.close();
  // User B, on another channel, gives their number too.
  await running.channel.ask('user-b', '帮我解锁账户');
  await running.channel.ask('user-b', B_PHONE);
  const aKey = `directline:${a.conversationId}`;
  const bKey = 'emulator:user-b';
  const aPhoneKey = phoneKeyOf(SECRET, A_PHONE);
  // Everything is written: both numbers linked to their conversations, A's chat closed, the claim audited.
  await until(async () => (await rows('SELECT 1 FROM subjects WHERE (phone_key, conversation) IN (($1, $2), ($3, $4))', [aPhoneKey, aKey, phoneKeyOf(SECRET, B_PHONE), bKey])).length === 2);
  await until(async () => (await rows(`SELECT 1 FROM handoffs WHERE id = $1 AND status = 'resolved'`, [handoffId])).length === 1);
  await until(async () => (await rows(`SELECT 1 FROM handoff_notes WHERE handoff_id = $1`, [handoffId])).length === 1);
  expect(await rows(`SELECT actor, action, target FROM staff_actions WHERE action = 'chat.claim'`)).toEqual([{ actor: 'wang', action: 'chat.claim', target: handoffId }]);
  // A history search is audited by what it searched by, never the digits searched for.
  expect((await wang.get('/api/agent/history?q=7395')).status).toBe(200);
  await until(async () => (await rows(`SELECT 1 FROM staff_actions WHERE action = 'history.search'`)).length === 1);
  const [search] = await rows(`SELECT actor, body, staff_actions::text AS whole FROM staff_actions WHERE action = 'history.search'`);
  expect(search).toEqual({ actor: 'wang', body: { by: 'lastFour', chats: 0, tickets: 0 }, whole: expect.not.stringContaining('7395') });
  await running.stop();
  kefu = undefined;

  // KB signals of both conversations, and a push an instance left in the outbox for each when it died.
  const signal = (conversation: string) => [recordId(), new Date(), conversation, { kind: 'unanswered', question: '讲个笑话', locale: 'zh-CN' }];
  await rows('INSERT INTO kb_signals (id, at, conversation, body) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)', [...signal(hashId(a.conversationId)), ...signal(hashId('user-b'))]);
  const client = new Redis(redis.url);
  const left = (conversation: string) => JSON.stringify([{ kind: 'line', id: recordId(), conversation, entry: { at: Date.now(), from: 'user', text: '还在吗' } }]);
  await client.xadd('kefu:{kefu}:outbox', '*', 'r', left(aKey));
  await client.xadd('kefu:{kefu}:outbox', '*', 'r', left(bKey));
  await client.rpush('kefu:{kefu}:kb-signals', JSON.stringify({ kind: 'unanswered', question: '讲个笑话', locale: 'zh-CN', at: new Date().toISOString(), conversation: hashId(a.conversationId) }));
  client.disconnect();

  const out = path.join(dir, 'a.json');
  const exported = await privacy('export', '--phone', A_PHONE, '--out', out, '--by', 'dpo@example.com');
  expect(exported).toEqual({ code: 0, said: expect.stringMatching(/^Exported 1 conversation\(s\) of 138\*\*\*\*0002: \d+ transcript line\(s\) → /) });
  const json = fs.readFileSync(out, 'utf8');
  const data = JSON.parse(json) as { phone: string; conversations: { conversation: string; lines: { text: string }[]; handoffs: { notes: { text: string }[] }[]; kbSignals: unknown[] }[] };
  expect(data.phone).toBe('138****0002');
  expect(data.conversations.map((c) => c.conversation)).toEqual([aKey]);
  const [conversation] = data.conversations;
  expect(conversation!.lines.map((l) => l.text)).toEqual(expect.arrayContaining(['帮我解锁账户', '138****0002', '转人工']));
  expect(conversation!.handoffs[0]!.notes.map((n) => n.text)).toEqual(['用户 138****0002 已核实']);
  expect(conversation!.kbSignals).toHaveLength(1);
  expect(json).not.toContain(A_PHONE);
  expect(json).not.toContain('user-b');
  expect(json).not.toContain('0003');

  const erased = await privacy('delete', '--phone', A_PHONE, '--by', 'dpo@example.com');
  expect(erased.code).toBe(0);
  expect(erased.said).toMatch(/^Erased the data of 138\*\*\*\*0002: 1 conversation\(s\), \d+ transcript line\(s\), 1 handoff\(s\), 1 note\(s\), 0 ticket\(s\), 1 KB signal\(s\), 1 subject link\(s\); Redis: \d+ key\(s\), 1 file\(s\), 1 KB signal\(s\), 1 outbox entry\. Logged as privacy\.delete by dpo@example\.com\.$/);

  // No trace: not the conversation, its hash, the handoff, the number or its key — in any table or anywhere in Redis.
  const needles = [a.conversationId, hashId(a.conversationId), handoffId, aPhoneKey, A_PHONE, '138****0002'];
  expect(await traces(needles.filter((n) => n !== handoffId))).toEqual([]);
  // The audit log keeps what the agent did to the chat (by its id only), and who erased it (counts only).
  expect(await rows(`SELECT action FROM staff_actions WHERE strpos(staff_actions::text, $1) > 0 ORDER BY action`, [handoffId])).toEqual([{ action: 'chat.claim' }, { action: 'chat.note' }, { action: 'chat.resolve' }]);
  for (const needle of needles) expect(await redisKeysMentioning(needle)).toEqual([]);
  const fileId = file.slice(file.lastIndexOf('/') + 1);
  expect(await redisKeysMentioning(fileId)).toEqual([]);
  const [audit] = await rows(`SELECT actor, target, body FROM staff_actions WHERE action = 'privacy.delete'`);
  expect(audit).toEqual({ actor: 'dpo@example.com', target: null, body: expect.objectContaining({ conversations: 1, handoffs: 1, files: 1, outboxEntries: 1 }) });

  // The other user's records stay, everywhere.
  expect((await rows('SELECT count(*) AS n FROM conversation_lines WHERE conversation = $1', [bKey]))[0]?.n).not.toBe('0');
  expect(await rows('SELECT conversation FROM subjects')).toEqual([{ conversation: bKey }]);
  expect(await rows('SELECT conversation FROM kb_signals')).toEqual([{ conversation: hashId('user-b') }]);
  expect((await redisKeysMentioning('user-b')).length).toBeGreaterThan(0);

  // Asked again: nothing left to erase.
  expect(await privacy('delete', '--phone', A_PHONE, '--by', 'dpo@example.com')).toEqual({ code: 0, said: 'Nothing kept about 138****0002. Logged as privacy.delete by dpo@example.com.' });
});

test('wrong use is refused with one line and exit code 2, before anything is touched', async () => {
  expect(await privacy('delete', '--phone', A_PHONE)).toEqual({ code: 2, said: expect.stringMatching(/^privacy: delete needs --by <who asked>/) });
  expect(await privacy('export', '--phone', '12345')).toEqual({ code: 2, said: expect.stringMatching(/^privacy: --phone must be a mainland mobile number/) });
  expect(await privacy('erase', '--phone', A_PHONE)).toEqual({ code: 2, said: expect.stringMatching(/^privacy: unknown command "erase"/) });
});
