import { CLIENT_ADDRESS_HEADERS } from '../../bot/clientAddress';
import { DEMO_AGENTS } from '../support/agentClient';
import { startKefu, type RunningKefu } from '../support/kefuServer';

/**
 * Issue 25, item 1: a reverse proxy on this machine connects from 127.0.0.1 for every client
 * on the internet. Whatever TRUSTED_PROXY_HEADER names, a request that names a client's address
 * in any of the usual headers is not "this machine": it cannot read the SMS codes, sign in as
 * a demo agent, use the Emulator's /api/messages or post to the Direct Line connector routes.
 * The proxy's own header naming a loopback client, or no header at all, still is.
 */
jest.setTimeout(120_000);

const INTERNET = '203.0.113.9';

/** Every local-only surface, and what each answers when it lets the request on. */
const SURFACES: { name: string; allowed: number; call(url: string, headers: Record<string, string>): Promise<Response> }[] = [
  { name: 'dev SMS outbox', allowed: 200, call: (url, headers) => fetch(`${url}/api/dev/sms?phone=13800000002`, { headers }) },
  {
    name: 'demo agent sign-in',
    allowed: 200,
    call: (url, headers) =>
      fetch(`${url}/api/agent/session`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ id: DEMO_AGENTS.wang[0], password: DEMO_AGENTS.wang[1] }),
      }),
  },
  // Let on, an empty body is refused as an invalid activity (400): the refusal by address comes first.
  { name: 'Emulator /api/messages', allowed: 400, call: (url, headers) => fetch(`${url}/api/messages`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' }) },
  // Let on, an unknown conversation is a 404.
  {
    name: 'Direct Line connector',
    allowed: 404,
    call: (url, headers) =>
      fetch(`${url}/v3/conversations/no-such-conversation/activities`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'hi' }),
      }),
  },
];

describe.each([undefined, 'x-client-ip', 'cf-connecting-ip', 'true-client-ip', 'x-forwarded-for'])('TRUSTED_PROXY_HEADER=%s, the proxy on this machine', (trusted) => {
  let kefu: RunningKefu;

  beforeAll(async () => {
    kefu = await startKefu(trusted ? { TRUSTED_PROXY_HEADER: trusted } : {});
  });
  afterAll(async () => {
    await kefu?.stop();
  });

  test('a client on the internet, named in any client-address header, gets 403 from every local-only surface', async () => {
    const answers: string[] = [];
    for (const header of CLIENT_ADDRESS_HEADERS) {
      for (const surface of SURFACES) {
        const response = await surface.call(kefu.url, { [header]: header === 'forwarded' ? `for=${INTERNET}` : INTERNET });
        await response.arrayBuffer();
        answers.push(`${header} → ${surface.name}: ${response.status}`);
      }
    }
    expect(answers).toEqual(CLIENT_ADDRESS_HEADERS.flatMap((header) => SURFACES.map((surface) => `${header} → ${surface.name}: 403`)));
  });

  test('this machine itself, straight or through the proxy for a loopback client, is still let on', async () => {
    const ways: Record<string, string>[] = [{}, ...(trusted ? [{ [trusted]: '127.0.0.1' }] : [])];
    for (const headers of ways) {
      for (const surface of SURFACES) {
        const response = await surface.call(kefu.url, headers);
        await response.arrayBuffer();
        expect([surface.name, headers, response.status]).toEqual([surface.name, headers, surface.allowed]);
      }
    }
  });

  test('behind the proxy, a loopback address the client wrote left of the one the proxy appended does not count', async () => {
    const header = trusted ?? 'x-forwarded-for';
    for (const surface of SURFACES) {
      const response = await surface.call(kefu.url, { [header]: `127.0.0.1, ${INTERNET}` });
      await response.arrayBuffer();
      expect([surface.name, response.status]).toEqual([surface.name, 403]);
    }
  });
});
