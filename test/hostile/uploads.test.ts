import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_AGENTS } from '../support/agentClient';
import { launchBrowser, WidgetPage, signInToConsole } from '../support/browser';
import { startInstance, SHARED_ENV, type Instance } from '../support/cluster';
import { RedisServer } from '../support/redis';

/**
 * Uploads to the embedded Direct Line as an attacker sends them, against real processes:
 * nothing is read (or written to disk) before the caller is known and the declared size
 * fits, only images and PDF sniffed from their bytes are kept, files are served so that
 * nothing in them runs on the agent console's origin, links are made from configuration
 * and not the Host header, and uploads are capped per conversation and overall.
 */
jest.setTimeout(120_000);

const MiB = 1024 * 1024;
const LIMIT = MiB;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A file that starts like a PNG; its content beyond the signature does not matter to the server. */
const png = (size: number) => Buffer.concat([PNG_MAGIC, crypto.randomBytes(size - PNG_MAGIC.length)]);

/** A PDF that runs JavaScript as soon as a viewer opens it (an OpenAction), as Chromium's viewer would. */
const SCRIPTED_PDF = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    "4 0 obj << /Type /Action /S /JavaScript /JS (app.alert('kefu-pwned');) >> endobj",
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n'),
  'latin1',
);

/** What a script in an uploaded file would do with the agent's session: read the board, leave a mark on the origin. */
const STEAL = `var x = new XMLHttpRequest(); x.open('GET', '/api/agent/board', false); x.send(); localStorage.setItem('kefu-pwned', x.status + ':' + x.responseText.length);`;
const HOSTILE_FILES = [
  { name: 'invoice.html', type: 'text/html', data: Buffer.from(`<!doctype html><html><body><script>${STEAL}</script></body></html>`) },
  { name: 'logo.svg', type: 'image/svg+xml', data: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>${STEAL}</script></svg>`) },
  // A polyglot: GIF by its first bytes, HTML by what the uploader claims.
  { name: 'scan.html', type: 'text/html', data: Buffer.from(`GIF89a<html><body><script>${STEAL}</script></body></html>`) },
];

interface Grant {
  conversationId: string;
  token: string;
}

async function conversation(url: string): Promise<Grant> {
  const generated = await fetch(`${url}/v3/directline/tokens/generate`, { method: 'POST', headers: { authorization: `Bearer ${SHARED_ENV.DIRECTLINE_SECRET}` } });
  const grant = (await generated.json()) as Grant;
  const started = await fetch(`${url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' }, body: '{}' });
  expect(started.status).toBe(201);
  return grant;
}

function form(files: { name: string; type: string; data: Buffer }[], activity: string | undefined = JSON.stringify({ type: 'message', text: '' })): FormData {
  const body = new FormData();
  if (activity !== undefined) body.append('activity', new Blob([activity], { type: 'application/vnd.microsoft.activity' }));
  for (const file of files) body.append('file', new Blob([file.data], { type: file.type }), file.name);
  return body;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { id?: string; error?: { code: string; message: string; maxBytes?: number } };
}

async function upload(url: string, grant: Grant, body: FormData): Promise<Answer> {
  const response = await fetch(`${url}/v3/directline/conversations/${grant.conversationId}/upload?userId=x`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}` }, body });
  return { status: response.status, headers: Object.fromEntries(response.headers), json: (await response.json()) as Answer['json'] };
}

/** A request through node:http, so headers fetch would not send (a forged Host) go as written. */
async function raw(url: string, method: string, pathname: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${pathname}`, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, json: text ? (JSON.parse(text) as Answer['json']) : {} });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A multipart body as bytes, with its content type (boundary included). */
async function serialized(body: FormData): Promise<{ bytes: Buffer; type: string }> {
  const request = new Request('http://127.0.0.1/', { method: 'POST', body });
  return { bytes: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type') ?? '' };
}

/**
 * Sends a request's head and the first part of a body it says is `declared` bytes long,
 * then waits for the answer without sending the rest: a server that answers has decided
 * without reading the body. Gives up after a generous wait (a server reading first never answers).
 */
function answerBeforeBody(url: string, pathname: string, headers: Record<string, string>, declared: number, first: Buffer): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer while the body was still unsent: the server waited to read it'));
    }, 15_000);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(head.split(' ')[1]), body: received.subarray(end + 4, end + 4 + length).toString('utf8') });
    });
    const lines = [`POST ${pathname} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), `Content-Length: ${declared}`];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    socket.write(first);
  });
}

/** Bytes and files in a directory tree. */
function usage(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

describe('one instance, memory', () => {
  let kefu: Instance;
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-upload-tmp-'));
    kefu = await startInstance({
      TMPDIR: tmp,
      DIRECTLINE_MAX_UPLOAD_BYTES: String(LIMIT),
      DIRECTLINE_UPLOAD_CONVERSATION_BYTES: String(2.5 * MiB),
    });
  });
  afterAll(async () => {
    await kefu?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('a huge upload is answered before its body is read: 403 without a token, 413 over the limit (taken without its file when its activity part came first), nothing in the temporary directory', async () => {
    const grant = await conversation(kefu.url);
    const boundary = 'kefu-hostile-boundary';
    const first = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`),
      png(2 * MiB),
    ]);
    const multipart = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
    const pathname = `/v3/directline/conversations/${grant.conversationId}/upload`;
    const declared = 2 * 1024 * MiB;

    const anonymous = await answerBeforeBody(kefu.url, pathname, multipart, declared, first);
    expect([401, 403]).toContain(anonymous.status);
    const forged = await answerBeforeBody(kefu.url, pathname, { ...multipart, Authorization: 'Bearer not-a-token' }, declared, first);
    expect(forged.status).toBe(403);
    // Not multipart either: the body is still left unread.
    const json = await answerBeforeBody(kefu.url, pathname, { 'Content-Type': 'application/json' }, declared, Buffer.from('{"type":"message","text":"'));
    expect([401, 403]).toContain(json.status);
    const tooBig = await answerBeforeBody(kefu.url, pathname, { ...multipart, Authorization: `Bearer ${grant.token}` }, declared, first);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toContain('1 MB');
    // With the activity part first (as Web Chat sends it), that part alone is read: the message is taken without its file.
    const activityFirst = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="activity"; filename="blob"\r\nContent-Type: application/vnd.microsoft.activity\r\n\r\n{"type":"message","attachments":[{"contentType":"image/png","name":"big.png"}]}\r\n`),
      first,
    ]);
    const taken = await answerBeforeBody(kefu.url, pathname, { ...multipart, Authorization: `Bearer ${grant.token}` }, declared, activityFirst);
    expect(taken.status).toBe(200);
    // Nothing of the bodies was written anywhere.
    expect(usage(tmp)).toEqual({ files: 0, bytes: 0 });
    expect((await fetch(`${kefu.url}/healthz`)).status).toBe(200);
  });

  test('HTML and SVG, whatever they claim to be, are refused with 415 and a sentence naming what is accepted', async () => {
    const grant = await conversation(kefu.url);
    for (const file of [...HOSTILE_FILES.filter((f) => !f.data.subarray(0, 3).equals(Buffer.from('GIF'))), { name: 'photo.png', type: 'image/png', data: HOSTILE_FILES[0]!.data }]) {
      const answer = await upload(kefu.url, grant, form([file]));
      expect(answer.status).toBe(415);
      expect(answer.json.error?.message).toMatch(/PNG, JPEG, GIF, WebP\) and PDF/);
    }
    // Nothing was kept or passed on: the conversation holds no upload.
    const activities = (await (await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } })).json()) as { activities: { attachments?: unknown[] }[] };
    expect(activities.activities.filter((a) => a.attachments?.length)).toEqual([]);
  });

  test('files are served with their sniffed type, nosniff and a sandbox CSP; a GIF/HTML polyglot is only ever an image', async () => {
    const grant = await conversation(kefu.url);
    const polyglot = HOSTILE_FILES[2]!;
    const accepted = await upload(kefu.url, grant, form([polyglot, { name: 'id.png', type: 'application/octet-stream', data: png(2048) }]));
    expect(accepted.status).toBe(200);
    const activities = (await (await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } })).json()) as {
      activities: { id: string; attachments?: { contentType: string; contentUrl: string; name: string }[] }[];
    };
    const files = activities.activities.find((a) => a.id === accepted.json.id)?.attachments ?? [];
    expect(files.map((f) => [f.name, f.contentType])).toEqual([
      ['scan.html', 'image/gif'],
      ['id.png', 'image/png'],
    ]);
    for (const file of files) {
      const served = await fetch(file.contentUrl);
      expect(served.headers.get('content-type')).toBe(file.contentType);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(served.headers.get('content-disposition')).toMatch(/^inline; /);
      await served.arrayBuffer();
    }
  });

  test('a PDF whose OpenAction is JavaScript is served as a download, never opened in the browser; an image stays inline', async () => {
    const grant = await conversation(kefu.url);
    const accepted = await upload(kefu.url, grant, form([{ name: '申诉材料.pdf', type: 'application/pdf', data: SCRIPTED_PDF }, { name: 'id.png', type: 'image/png', data: png(2048) }]));
    expect(accepted.status).toBe(200);
    const activities = (await (await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } })).json()) as {
      activities: { id: string; attachments?: { contentType: string; contentUrl: string; name: string }[] }[];
    };
    const files = activities.activities.find((a) => a.id === accepted.json.id)?.attachments ?? [];
    const served = await Promise.all(
      files.map(async (file) => {
        const response = await fetch(file.contentUrl);
        await response.arrayBuffer();
        return [file.name, response.headers.get('content-type'), response.headers.get('content-disposition')?.split(';')[0], response.headers.get('content-security-policy')];
      }),
    );
    expect(served).toEqual([
      ['申诉材料.pdf', 'application/pdf', 'attachment', "default-src 'none'; sandbox"],
      ['id.png', 'image/png', 'inline', "default-src 'none'; sandbox"],
    ]);
  });

  test('an activity part that is not JSON, or not an activity, and a broken multipart body get 400', async () => {
    const grant = await conversation(kefu.url);
    const notJson = await upload(kefu.url, grant, form([{ name: 'a.png', type: 'image/png', data: png(1024) }], '{"type": "message", "text": '));
    expect(notJson.status).toBe(400);
    expect(notJson.json.error?.message).toContain('not JSON');
    const notActivity = await upload(kefu.url, grant, form([{ name: 'a.png', type: 'image/png', data: png(1024) }], JSON.stringify({ type: 'hack' })));
    expect(notActivity.status).toBe(400);
    const { bytes, type } = await serialized(form([{ name: 'a.png', type: 'image/png', data: png(1024) }]));
    const truncated = await raw(kefu.url, 'POST', `/v3/directline/conversations/${grant.conversationId}/upload`, { authorization: `Bearer ${grant.token}`, 'content-type': type }, bytes.subarray(0, bytes.length - 20));
    expect(truncated.status).toBe(400);
    const noBoundary = await raw(kefu.url, 'POST', `/v3/directline/conversations/${grant.conversationId}/upload`, { authorization: `Bearer ${grant.token}`, 'content-type': 'multipart/form-data' }, Buffer.from('x'));
    expect(noBoundary.status).toBe(400);
    expect((await fetch(`${kefu.url}/healthz`)).status).toBe(200);
  });

  test('over the limit: the message arrives without its files and the bot names the limit; 413 when no activity came first; a conversation has a quota of its own', async () => {
    const grant = await conversation(kefu.url);
    const over = await upload(kefu.url, grant, form([{ name: 'big.png', type: 'image/png', data: png(LIMIT + 1024) }], JSON.stringify({ type: 'message', attachments: [{ contentType: 'image/png', name: 'big.png' }] })));
    expect(over.status).toBe(200);
    // Two files that fit one by one but not together.
    const together = await upload(kefu.url, grant, form([{ name: 'a.png', type: 'image/png', data: png(0.6 * MiB) }, { name: 'b.png', type: 'image/png', data: png(0.6 * MiB) }]));
    expect(together.status).toBe(200);
    const listed = async () =>
      ((await (await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } })).json()) as {
        activities: { id: string; from: { role?: string }; text?: string; attachments?: { name?: string; contentUrl?: string }[] }[];
      }).activities;
    const activities = await listed();
    // The user's message names the file it carried, with nothing to fetch: no byte of it was kept.
    expect(activities.find((a) => a.id === over.json.id)?.attachments).toEqual([expect.objectContaining({ name: 'big.png' })]);
    expect(activities.flatMap((a) => a.attachments ?? []).filter((a) => a.contentUrl)).toEqual([]);
    const answers = activities.filter((a) => a.from.role === 'bot' && (a.text ?? '').includes('1 MB 的上限'));
    expect(answers).toHaveLength(2);
    // A client cannot make the bot say so: only the Direct Line marks a file as refused.
    const forged = await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: '', attachments: [{ contentType: 'application/vnd.kefu.upload-refused', name: 'x.png', content: { reason: 'too-large' } }] }),
    });
    expect(forged.status).toBe(200);
    expect((await listed()).filter((a) => a.from.role === 'bot' && (a.text ?? '').includes('上限'))).toHaveLength(2);
    // A body whose files come before any activity part cannot be answered in the conversation: 413 naming the limit.
    const filesOnly = new FormData();
    filesOnly.append('file', new Blob([png(LIMIT + 1024)], { type: 'image/png' }), 'big.png');
    const bare = await upload(kefu.url, grant, filesOnly);
    expect(bare.status).toBe(413);
    expect(bare.json.error?.message).toContain('1 MB');
    expect(bare.json.error?.maxBytes).toBe(LIMIT);
    // 2.5 MiB per conversation: two uploads of 0.9 MiB fit, the third does not.
    for (let i = 0; i < 2; i++) expect((await upload(kefu.url, grant, form([{ name: `${i}.png`, type: 'image/png', data: png(0.9 * MiB) }]))).status).toBe(200);
    const third = await upload(kefu.url, grant, form([{ name: '2.png', type: 'image/png', data: png(0.9 * MiB) }]));
    expect(third.status).toBe(413);
    expect(third.json.error?.code).toBe('UploadQuotaExceeded');
    // Another conversation is not affected.
    expect((await upload(kefu.url, await conversation(kefu.url), form([{ name: 'x.png', type: 'image/png', data: png(0.9 * MiB) }]))).status).toBe(200);
  });

  test('a forged Host header changes neither the attachment link, nor the stream URL, nor the widget’s Direct Line', async () => {
    const grant = await conversation(kefu.url);
    const { bytes, type } = await serialized(form([{ name: 'a.png', type: 'image/png', data: png(1024) }]));
    const forged = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    const uploaded = await raw(kefu.url, 'POST', `/v3/directline/conversations/${grant.conversationId}/upload`, { ...forged, authorization: `Bearer ${grant.token}`, 'content-type': type }, bytes);
    expect(uploaded.status).toBe(200);
    const activities = (await (await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } })).json()) as {
      activities: { id: string; attachments?: { contentUrl: string }[] }[];
    };
    const link = activities.activities.find((a) => a.id === uploaded.json.id)?.attachments?.[0]?.contentUrl ?? '';
    expect(link.startsWith(`${kefu.url}/v3/directline/attachments/`)).toBe(true);

    const reconnect = (await raw(kefu.url, 'GET', `/v3/directline/conversations/${grant.conversationId}`, { ...forged, authorization: `Bearer ${grant.token}` })).json as { streamUrl?: string };
    expect(reconnect.streamUrl?.startsWith(`${kefu.url.replace('http', 'ws')}/v3/directline/conversations/`)).toBe(true);
    const widget = (await raw(kefu.url, 'POST', '/api/webchat/token', forged)).json as { domain?: string };
    expect(widget.domain).not.toContain('evil');
  });
});

describe('Redis: uploads expire with the conversation, are capped per conversation and overall, links come from PUBLIC_URL', () => {
  let redis: RedisServer;
  let kefu: Instance;
  let client: Redis;
  const PUBLIC_URL = 'https://kefu.example.test';
  const STATE_TTL_S = 900;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = new Redis(redis.url);
    kefu = await startInstance({
      REDIS_URL: redis.url,
      PUBLIC_URL,
      STATE_TTL_S: String(STATE_TTL_S),
      DIRECTLINE_MAX_UPLOAD_BYTES: String(LIMIT),
      DIRECTLINE_UPLOAD_CONVERSATION_BYTES: String(2 * MiB),
      DIRECTLINE_UPLOAD_TOTAL_BYTES: String(2 * MiB),
    });
  });
  afterAll(async () => {
    await kefu?.stop();
    client?.disconnect();
    await redis?.destroy();
  });

  const idOf = (contentUrl: string) => contentUrl.slice(`${PUBLIC_URL}/v3/directline/attachments/`.length);

  async function uploadOne(grant: Grant, size: number): Promise<{ status: number; contentUrl: string }> {
    const answer = await upload(kefu.url, grant, form([{ name: 'a.png', type: 'image/png', data: png(size) }]));
    if (answer.status !== 200) return { status: answer.status, contentUrl: '' };
    const activities = (await (await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, { headers: { authorization: `Bearer ${grant.token}` } })).json()) as {
      activities: { id: string; attachments?: { contentUrl: string }[] }[];
    };
    return { status: 200, contentUrl: activities.activities.find((a) => a.id === answer.json.id)?.attachments?.[0]?.contentUrl ?? '' };
  }

  test('a file lives no longer than its conversation; a conversation’s quota and the overall cap hold', async () => {
    const first = await conversation(kefu.url);
    const kept = await uploadOne(first, 0.9 * MiB);
    expect(kept.status).toBe(200);
    expect(kept.contentUrl.startsWith(`${PUBLIC_URL}/v3/directline/attachments/`)).toBe(true);
    const ttl = await client.ttl(`kefu:{c:file:${idOf(kept.contentUrl)}}:file`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(STATE_TTL_S);

    expect((await uploadOne(first, 0.9 * MiB)).status).toBe(200);
    const overQuota = await uploadOne(first, 0.9 * MiB);
    expect(overQuota.status).toBe(413);

    // 2 MiB overall: a third file from another conversation pushes the oldest out.
    const second = await conversation(kefu.url);
    expect((await uploadOne(second, 0.9 * MiB)).status).toBe(200);
    expect((await fetch(`${kefu.url}/v3/directline/attachments/${idOf(kept.contentUrl)}`)).status).toBe(404);
    const stored = await client.get('kefu:{kefu}:dl:file-bytes');
    expect(Number(stored)).toBeLessThanOrEqual(2 * MiB);
  });
});

describe('in the browser', () => {
  let kefu: Instance;
  let browser: Browser;

  beforeAll(async () => {
    kefu = await startInstance({ DIRECTLINE_MAX_UPLOAD_BYTES: String(LIMIT) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await kefu?.stop();
  });

  async function signedInAgent(context: BrowserContext): Promise<Page> {
    const agent = await context.newPage();
    await signInToConsole(agent, kefu.url, DEMO_AGENTS.wang);
    return agent;
  }

  async function say(grant: Grant, activity: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${kefu.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: 'x' }, ...activity }),
    });
    expect(response.status).toBe(200);
  }

  test('an agent opening what a user uploaded or linked runs none of its script', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
    try {
      const agent = await signedInAgent(context);
      const grant = await conversation(kefu.url);
      await say(grant, { type: 'message', text: '转人工' });
      for (const file of HOSTILE_FILES) await upload(kefu.url, grant, form([file]));
      const foreign = ['https://evil.example/phish.html', `https://evil.example/v3/directline/attachments/${'A'.repeat(24)}`, `${kefu.url}/agent#x`];
      await say(grant, { type: 'message', text: '请看附件', attachments: foreign.map((url, i) => ({ contentType: 'text/html', contentUrl: url, name: `look-${i}.html` })) });

      await agent.locator('#queue li', { hasText: '用户要求转人工' }).click();
      await agent.locator('#transcript li.user', { hasText: '请看附件' }).waitFor();
      await agent.locator('#transcript li.user', { hasText: 'scan.html' }).waitFor();

      // The agent opens every uploaded file the console offers as a link.
      let opened = 0;
      for (const file of HOSTILE_FILES) {
        const link = agent.locator('#transcript a', { hasText: file.name });
        if ((await link.count()) === 0) continue;
        const [page] = await Promise.all([context.waitForEvent('page'), link.first().click()]);
        await page.waitForLoadState('load').catch(() => undefined);
        await page.close();
        opened++;
      }
      expect(opened).toBeGreaterThan(0);
      // A PDF is offered as a link too, and opening it is a download, never Chromium's viewer running its OpenAction.
      await upload(kefu.url, grant, form([{ name: '申诉材料.pdf', type: 'application/pdf', data: SCRIPTED_PDF }]));
      const pdf = agent.locator('#transcript a', { hasText: '申诉材料.pdf' });
      await pdf.waitFor();
      const href = await pdf.getAttribute('href');
      expect(href).toMatch(/^\/v3\/directline\/attachments\/[\w-]+$/);
      const viewer = await context.newPage();
      const [download] = await Promise.all([viewer.waitForEvent('download', { timeout: 30_000 }), viewer.goto(`${kefu.url}${href}`).catch(() => undefined)]);
      expect(download.suggestedFilename()).toBe('申诉材料.pdf');
      await download.cancel();
      await viewer.close();
      // None of them ran its script with the agent's session on this origin.
      expect(await agent.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('kefu-pwned'))).toBeNull();

      // Links the user posted are text; no link leads anywhere but this server's attachments.
      for (const url of foreign) await agent.locator('#transcript li.user', { hasText: url }).waitFor();
      const links = agent.locator('#transcript a');
      const hrefs = await Promise.all(Array.from({ length: await links.count() }, (_, i) => links.nth(i).getAttribute('href')));
      for (const href of hrefs) expect(href).toMatch(/^\/v3\/directline\/attachments\/[\w-]+$/);
      // The console's own title (with its count of waiting chats), not one a file set.
      expect(await agent.title()).toMatch(/^(\(\d+\) )?Kefu 客服工作台$/);
    } finally {
      await context.close();
    }
  });

  test('a user whose file is refused is told what is accepted and the limit', async () => {
    const widget = await WidgetPage.open(browser, `${kefu.url}/`, 'hostile-upload-widget');
    try {
      await widget.waitForBot('您好');
      await widget.page.setInputFiles('input[type="file"]', { name: 'evil.html', mimeType: 'text/html', buffer: HOSTILE_FILES[0]!.data });
      await widget.page.locator('.webchat__attachment-icon--checked').waitFor();
      await widget.page.locator('button[title="发送"]').click();
      await widget.page.getByText('只能上传图片（PNG、JPEG、GIF、WebP）或 PDF 文件，每次上传合计不超过 1 MB').waitFor({ timeout: 15_000 });
      await widget.screenshot('upload-refused');
    } finally {
      await widget.close();
    }
  });
});
