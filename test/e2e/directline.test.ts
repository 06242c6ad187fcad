import jwt from 'jsonwebtoken';
import { PNG } from 'pngjs';
import { DirectLine, ConnectionStatus, type Activity, type Message } from 'botframework-directlinejs';
import WebSocket from 'ws';
import XMLHttpRequestPolyfill from 'xhr2';
import { startKefu, TEST_DIRECTLINE_SECRET, type RunningKefu } from '../support/kefuServer';

/**
 * The official Direct Line client (botframework-directlinejs) in Node against the embedded
 * Direct Line, polling and over WebSocket, plus the protocol's error cases.
 */

// directlinejs talks HTTP through rxjs' XMLHttpRequest-based ajax.
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= XMLHttpRequestPolyfill;

interface Grant {
  conversationId: string;
  token: string;
  expires_in: number;
  streamUrl?: string;
}

let kefu: RunningKefu;
let domain: string;

beforeAll(async () => {
  kefu = await startKefu();
  domain = `${kefu.url}/v3/directline`;
});
afterAll(async () => {
  await kefu.stop();
});

async function call(path: string, auth: string | undefined, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${domain}${path}`, {
    ...init,
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function generate(): Promise<Grant> {
  const { status, body } = await call('/tokens/generate', TEST_DIRECTLINE_SECRET, { method: 'POST', body: '{}' });
  expect(status).toBe(200);
  return body as Grant;
}

/** Collects what a client receives; resolves when `predicate` holds for the list. */
function collect(directLine: DirectLine) {
  const received: Activity[] = [];
  const subscription = directLine.activity$.subscribe((a) => received.push(a));
  return {
    received,
    until(predicate: (list: Activity[]) => boolean, timeoutMs = 8000): Promise<Activity[]> {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(received)) return resolve([...received]);
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out; received: ${JSON.stringify(received.map((a) => (a as Message).text))}`));
          setTimeout(check, 25);
        };
        check();
      });
    },
    stop: () => subscription.unsubscribe(),
  };
}

const botTexts = (list: Activity[]) => list.filter((a) => a.from.id === 'kefu-bot' && a.type === 'message').map((a) => (a as Message).text ?? '');

function post(directLine: DirectLine, text: string, clientActivityID: string): Promise<string> {
  return new Promise((resolve, reject) => {
    directLine
      .postActivity({ type: 'message', from: { id: 'ignored-by-service' }, text, channelData: { clientActivityID } } as Message)
      .subscribe({ next: resolve, error: reject });
  });
}

describe.each([
  ['polling', false],
  ['WebSocket', true],
])('directlinejs over %s', (_name, webSocket) => {
  test('welcome, a question, the echo of the own message and the answer', async () => {
    const grant = await generate();
    const directLine = new DirectLine({ token: grant.token, domain, webSocket, pollingInterval: 200, WebSocket } as never);
    const inbox = collect(directLine);
    try {
      await inbox.until((l) => botTexts(l).some((t) => t.includes('您好')));
      const id = await post(directLine, '忘记密码怎么办', 'client-1');
      expect(id).toContain(grant.conversationId);
      const all = await inbox.until((l) => botTexts(l).length >= 2);
      const echo = all.find((a) => (a.channelData as { clientActivityID?: string } | undefined)?.clientActivityID === 'client-1');
      expect(echo).toBeDefined();
      expect(echo?.id).toBe(id);
      // The service decides who speaks: the token's user, not the client's claim.
      expect(echo?.from.id).toMatch(/^dl_/);
      expect(botTexts(all)[1]).toContain('密码');
    } finally {
      inbox.stop();
      directLine.end();
    }
  });
});

test('reconnecting with a watermark resumes the conversation without repeats', async () => {
  const grant = await generate();
  const first = new DirectLine({ token: grant.token, domain, webSocket: true, WebSocket } as never);
  const firstInbox = collect(first);
  await firstInbox.until((l) => botTexts(l).length >= 1);
  await post(first, '验证码收不到怎么办', 'c-1');
  await firstInbox.until((l) => botTexts(l).length >= 2);
  const watermark = String(firstInbox.received.length);
  firstInbox.stop();
  first.end();

  // Something happens while the client is away.
  const refreshed = (await call('/tokens/refresh', grant.token, { method: 'POST' })).body as Grant;
  const { status } = await call(`/conversations/${grant.conversationId}/activities`, refreshed.token, {
    method: 'POST',
    body: JSON.stringify({ type: 'message', text: '换手机号收费吗' }),
  });
  expect(status).toBe(200);

  const second = new DirectLine({ token: refreshed.token, conversationId: grant.conversationId, watermark, domain, webSocket: true, WebSocket } as never);
  const secondInbox = collect(second);
  try {
    const resumed = await secondInbox.until((l) => botTexts(l).length >= 1);
    const texts = resumed.map((a) => (a as Message).text ?? '');
    expect(texts[0]).toBe('换手机号收费吗');
    expect(texts.some((t) => t.includes('您好'))).toBe(false);
    const connection = await new Promise<ConnectionStatus>((resolve) => second.connectionStatus$.subscribe((s) => s === ConnectionStatus.Online && resolve(s)));
    expect(connection).toBe(ConnectionStatus.Online);
  } finally {
    secondInbox.stop();
    second.end();
  }
});

describe('tokens and access', () => {
  test('a refreshed token keeps the conversation and user, with a new expiry', async () => {
    const grant = await generate();
    await call('/conversations', grant.token, { method: 'POST', body: '{}' });
    const refreshed = await call('/tokens/refresh', grant.token, { method: 'POST' });
    expect(refreshed.status).toBe(200);
    const body = refreshed.body as Grant;
    expect(body.conversationId).toBe(grant.conversationId);
    expect(body.token).not.toBe(grant.token);
    expect(body.expires_in).toBeGreaterThan(0);
    expect((await call(`/conversations/${grant.conversationId}/activities`, body.token)).status).toBe(200);
  });

  test("another conversation's token gets 403; an expired token 403; no credential 401", async () => {
    const mine = await generate();
    const theirs = await generate();
    await call('/conversations', mine.token, { method: 'POST', body: '{}' });
    await call('/conversations', theirs.token, { method: 'POST', body: '{}' });
    expect((await call(`/conversations/${theirs.conversationId}/activities`, mine.token)).status).toBe(403);
    expect((await call(`/conversations/${theirs.conversationId}/activities`, mine.token, { method: 'POST', body: '{"type":"message","text":"hi"}' })).status).toBe(403);
    expect((await call(`/conversations/${theirs.conversationId}`, mine.token)).status).toBe(403);

    const expired = jwt.sign({ conv: mine.conversationId, user: 'dl_x' }, TEST_DIRECTLINE_SECRET, { issuer: 'kefu-directline', expiresIn: -10 });
    const expiredCall = await call(`/conversations/${mine.conversationId}/activities`, expired);
    expect(expiredCall.status).toBe(403);
    expect(JSON.stringify(expiredCall.body)).toContain('TokenExpired');
    const forged = jwt.sign({ conv: mine.conversationId, user: 'dl_x' }, 'some-other-secret-of-enough-length!!', { issuer: 'kefu-directline' });
    expect((await call(`/conversations/${mine.conversationId}/activities`, forged)).status).toBe(403);
    expect((await call(`/conversations/${mine.conversationId}/activities`, undefined)).status).toBe(401);
    // Only the secret may mint tokens.
    expect((await call('/tokens/generate', mine.token, { method: 'POST' })).status).toBe(403);
  });

  test('the WebSocket stream refuses a token of another conversation', async () => {
    const mine = await generate();
    const theirs = await generate();
    const started = (await call('/conversations', theirs.token, { method: 'POST', body: '{}' })).body as Grant;
    const wrong = started.streamUrl!.replace(/t=[^&]+/, `t=${encodeURIComponent(mine.token)}`);
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(wrong);
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('403');
  });

  test('unknown conversations get 404', async () => {
    expect((await call('/conversations/no-such-conversation/activities', TEST_DIRECTLINE_SECRET)).status).toBe(404);
    expect((await call('/conversations/no-such-conversation', TEST_DIRECTLINE_SECRET)).status).toBe(404);
  });

  test('oversized activities and uploads get 413', async () => {
    const grant = await generate();
    await call('/conversations', grant.token, { method: 'POST', body: '{}' });
    const huge = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });
    expect((await call(`/conversations/${grant.conversationId}/activities`, grant.token, { method: 'POST', body: huge })).status).toBe(413);

    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(5 * 1024 * 1024)], { type: 'image/png' }), 'big.png');
    expect((await call(`/conversations/${grant.conversationId}/upload?userId=x`, grant.token, { method: 'POST', body: form })).status).toBe(413);
  });

  test('an uploaded file reaches the bot as an attachment and can be fetched back', async () => {
    const grant = await generate();
    await call('/conversations', grant.token, { method: 'POST', body: '{}' });
    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify({ type: 'message', text: '' })], { type: 'application/vnd.microsoft.activity' }));
    // The type is read from the bytes: a PNG the browser labelled octet-stream is a PNG.
    const png = PNG.sync.write(new PNG({ width: 4, height: 4 }));
    form.append('file', new Blob([png], { type: 'application/octet-stream' }), '截图.png');
    const upload = await call(`/conversations/${grant.conversationId}/upload?userId=x`, grant.token, { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    const { activities } = (await call(`/conversations/${grant.conversationId}/activities`, grant.token)).body as { activities: Message[] };
    const sent = activities.find((a) => a.id === (upload.body as { id: string }).id);
    const attachment = sent?.attachments?.[0] as { contentType: string; name: string; contentUrl: string } | undefined;
    expect(attachment).toEqual(expect.objectContaining({ contentType: 'image/png', name: '截图.png' }));
    const fetched = await fetch(attachment!.contentUrl);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(png)).toBe(true);
    // The bot answered the file-only message in words.
    expect(activities.some((a) => a.from.id === 'kefu-bot' && (a.text ?? '').includes('文字'))).toBe(true);
  });

  test('a file over the limit: the message is taken without it and the bot answers in the user’s language with the limit', async () => {
    const grant = await generate();
    await call('/conversations', grant.token, { method: 'POST', body: '{}' });
    const listed = async () => ((await call(`/conversations/${grant.conversationId}/activities`, grant.token)).body as { activities: Message[] }).activities;
    expect((await call(`/conversations/${grant.conversationId}/activities`, grant.token, { method: 'POST', body: JSON.stringify({ type: 'message', text: 'how do I reset my password' }) })).status).toBe(200);
    const answered = (await listed()).filter((a) => a.from.id === 'kefu-bot').length;
    const form = new FormData();
    // As Web Chat sends it: the activity part first, naming the file, then the file.
    form.append('activity', new Blob([JSON.stringify({ type: 'message', locale: 'en-US', attachments: [{ contentType: 'application/pdf', name: 'statement.pdf' }] })], { type: 'application/vnd.microsoft.activity' }));
    form.append('file', new Blob([Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4_500_000)])], { type: 'application/pdf' }), 'statement.pdf');
    const upload = await call(`/conversations/${grant.conversationId}/upload?userId=x`, grant.token, { method: 'POST', body: form });
    expect(upload.status).toBe(200);
    const activities = await listed();
    const sent = activities.find((a) => a.id === (upload.body as { id: string }).id);
    expect(sent?.attachments).toEqual([expect.objectContaining({ name: 'statement.pdf' })]);
    expect((sent?.attachments?.[0] as { contentUrl?: string } | undefined)?.contentUrl).toBeUndefined();
    const answers = activities.filter((a) => a.from.id === 'kefu-bot').slice(answered);
    expect(answers.map((a) => a.text)).toEqual([expect.stringContaining('over the 4 MB upload limit')]);
  });

  test('the connector endpoint refuses activities for conversations it does not hold', async () => {
    const { status } = await fetch(`${kefu.url}/v3/conversations/no-such-conversation/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'spoofed' }),
    });
    expect(status).toBe(404);
  });
});

test("the page can use another Direct Line (Azure's in production) through configuration", async () => {
  // Kefu's own embedded Direct Line stands in for Azure's: same protocol, same secret handling.
  const remote = await startKefu({ WEBCHAT_DIRECTLINE_URL: domain });
  try {
    const response = await fetch(`${remote.url}/api/webchat/token`, { method: 'POST' });
    expect(response.status).toBe(200);
    const grant = (await response.json()) as Grant & { domain: string };
    expect(grant.domain).toBe(domain);
    // The token works against that Direct Line, not the page's own server.
    const started = await call('/conversations', grant.token, { method: 'POST', body: '{}' });
    expect(started.status).toBe(201);
    expect((await fetch(`${remote.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${grant.token}` } })).status).toBe(404);
  } finally {
    await remote.stop();
  }
});

test('multipart bodies are refused everywhere but the upload route', async () => {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(1024)], { type: 'image/png' }), 'x.png');
  expect((await fetch(`${kefu.url}/api/messages`, { method: 'POST', body: form })).status).toBe(415);
  expect((await fetch(`${kefu.url}/api/webchat/token`, { method: 'POST', body: form })).status).toBe(415);
});
