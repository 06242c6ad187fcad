import type { IncomingMessage } from 'node:http';
import { botEndpointMode, refusedClient, refusedServiceUrl } from '../../bot/botEndpoint';
import { CLIENT_ADDRESS_HEADERS, clientAddress, isLocalRequest, isLoopbackAddress, isLoopbackUrl } from '../../bot/clientAddress';

/** The one place address decisions are made, and the Bot Framework endpoint's rule built on it. */

const fakeRequest = (remoteAddress: string | undefined, headers: Record<string, string> = { host: '127.0.0.1:3978' }) =>
  ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

test('loopback addresses: all of 127.0.0.0/8, ::1, and their IPv4-mapped forms; nothing else', () => {
  for (const address of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
    expect([address, isLoopbackAddress(address)]).toEqual([address, true]);
  }
  for (const address of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.1', '::ffff:10.0.0.1', '128.0.0.1', 'localhost', '', '127.0.0.1.example.com', 'fe80::1']) {
    expect([address, isLoopbackAddress(address)]).toEqual([address, false]);
  }
});

test('loopback URLs: http(s) to localhost or a loopback literal, however the URL is spelled', () => {
  const yes = ['http://127.0.0.1:55000', 'http://localhost:3978/x', 'https://LOCALHOST', 'http://[::1]:8080/', 'http://127.1:9/', 'http://2130706433/', 'http://0x7f.0.0.1/', 'http://user:pw@127.0.0.1/'];
  const no = [
    'http://0.0.0.0:5000', // reaches every local service, but is not loopback
    'http://127.0.0.1@192.0.2.1/', // the host is what follows the @
    'http://192.0.2.1#@127.0.0.1/',
    'http://127.0.0.1.nip.io/',
    'http://localhost.example.com/',
    'http://10.0.0.1/',
    'http://[::ffff:10.0.0.1]/',
    'ftp://127.0.0.1/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://[::1',
    '//127.0.0.1/x',
    'http://',
    '',
    42,
    undefined,
    { href: 'http://127.0.0.1' },
  ];
  for (const url of yes) expect([url, isLoopbackUrl(url)]).toEqual([url, true]);
  for (const url of no) expect([url, isLoopbackUrl(url)]).toEqual([url, false]);
});

test('a local request: loopback peer, no proxy in between, a loopback Host, not sent for another site', () => {
  expect(isLocalRequest(fakeRequest('127.0.0.1'), undefined)).toBe(true);
  expect(isLocalRequest(fakeRequest('::ffff:127.0.0.1', { host: 'localhost:3978' }), undefined)).toBe(true);
  expect(isLocalRequest(fakeRequest('::1', { host: '[::1]:3978', 'sec-fetch-site': 'same-origin' }), undefined)).toBe(true);

  expect(isLocalRequest(fakeRequest('203.0.113.7'), undefined)).toBe(false);
  expect(isLocalRequest(fakeRequest('::ffff:10.1.2.3'), undefined)).toBe(false);
  expect(isLocalRequest(fakeRequest(undefined), undefined)).toBe(false);
  // A reverse proxy on this machine connects from loopback on behalf of anyone.
  expect(isLocalRequest(fakeRequest('127.0.0.1', { host: 'localhost', 'x-forwarded-for': '203.0.113.7' }), undefined)).toBe(false);
  expect(isLocalRequest(fakeRequest('127.0.0.1', { host: 'localhost', forwarded: 'for=203.0.113.7' }), undefined)).toBe(false);
  expect(isLocalRequest(fakeRequest('127.0.0.1', { host: 'localhost', 'x-real-ip': '203.0.113.7' }), undefined)).toBe(false);
  // A page on a re-bound name reaches 127.0.0.1 with its own Host.
  expect(isLocalRequest(fakeRequest('127.0.0.1', { host: 'rebind.example:3978' }), undefined)).toBe(false);
  expect(isLocalRequest(fakeRequest('127.0.0.1', {}), undefined)).toBe(false);
  // A browser sends these when a page of another site makes the request.
  expect(isLocalRequest(fakeRequest('127.0.0.1', { host: 'localhost', 'sec-fetch-site': 'cross-site' }), undefined)).toBe(false);
  expect(isLocalRequest(fakeRequest('127.0.0.1', { host: 'localhost', 'sec-fetch-site': 'same-site' }), undefined)).toBe(false);
});

test('behind a trusted proxy on this machine: local only when the proxy names a loopback client, and no other address header is there', () => {
  const viaProxy = (headers: Record<string, string>) => fakeRequest('127.0.0.1', { host: 'localhost', ...headers });
  for (const trusted of ['x-client-ip', 'CF-Connecting-IP', 'true-client-ip', 'x-forwarded-for', 'forwarded']) {
    const name = trusted.toLowerCase();
    const remote = name === 'forwarded' ? 'for=203.0.113.7;proto=https' : '203.0.113.7';
    const loop = name === 'forwarded' ? 'for="[::1]:51000"' : '127.0.0.1';
    expect([trusted, isLocalRequest(viaProxy({ [name]: remote }), trusted)]).toEqual([trusted, false]);
    expect([trusted, isLocalRequest(viaProxy({ [name]: loop }), trusted)]).toEqual([trusted, true]);
    // Whatever the client wrote is to the left of what the proxy appended.
    expect([trusted, isLocalRequest(viaProxy({ [name]: `${loop}, ${remote}` }), trusted)]).toEqual([trusted, false]);
    expect([trusted, isLocalRequest(viaProxy({ [name]: 'unknown' }), trusted)]).toEqual([trusted, false]);
    // A program on this machine, straight to the socket: the socket is the client.
    expect([trusted, isLocalRequest(viaProxy({}), trusted)]).toEqual([trusted, true]);
  }
  // Every other client-address header, whatever it says, means someone connected on a client's behalf.
  for (const header of CLIENT_ADDRESS_HEADERS) {
    for (const trusted of [undefined, 'x-client-ip', 'x-my-proxy-ip']) {
      if (header === trusted) continue;
      expect([header, trusted, isLocalRequest(viaProxy({ [header]: '203.0.113.7' }), trusted)]).toEqual([header, trusted, false]);
      expect([header, trusted, isLocalRequest(viaProxy({ [header]: '127.0.0.1' }), trusted)]).toEqual([header, trusted, false]);
    }
  }
  expect(isLocalRequest(fakeRequest('203.0.113.9', { host: 'localhost', 'x-client-ip': '127.0.0.1' }), 'x-client-ip')).toBe(false);
});

test('the trusted header as the limits read it: RFC 7239 Forwarded too', () => {
  expect(clientAddress(fakeRequest('127.0.0.1', { forwarded: 'for=198.51.100.1, for=203.0.113.7;proto=https' }), 'forwarded')).toBe('ip:203.0.113.7');
  expect(clientAddress(fakeRequest('127.0.0.1', { forwarded: 'for="[2001:db8::1]:443"' }), 'Forwarded')).toBe('ip:2001:db8:0:0::/64');
});

test('limits count a client under one address, however the socket spells it', () => {
  expect(clientAddress(fakeRequest('::ffff:203.0.113.7'))).toBe('ip:203.0.113.7');
  expect(clientAddress(fakeRequest('2001:db8::1'))).toBe('ip:2001:db8:0:0::/64');
});

describe('the Bot Framework endpoint without MicrosoftAppId', () => {
  const emulator = botEndpointMode({ NODE_ENV: 'development', MicrosoftAppId: undefined });
  const closed = botEndpointMode({ NODE_ENV: 'production', MicrosoftAppId: undefined });
  const azure = botEndpointMode({ NODE_ENV: 'production', MicrosoftAppId: '00000000-0000-0000-0000-000000000001' });

  test('development: only a local client with a loopback serviceUrl', () => {
    expect(emulator).toBe('emulator');
    expect(refusedClient(emulator, true)).toBeUndefined();
    expect(refusedClient(emulator, false)).toMatch(/only the Emulator on this machine/);
    expect(refusedServiceUrl(emulator, 'http://127.0.0.1:9000')).toBeUndefined();
    expect(refusedServiceUrl(emulator, 'http://localhost:9000')).toBeUndefined();
    for (const url of ['http://0.0.0.0:9000', 'https://smba.trafficmanager.net/apis/', 'http://127.0.0.1@192.0.2.1/', 'not a url', undefined]) {
      expect(refusedServiceUrl(emulator, url)).toMatch(/serviceUrl must be on this machine/);
    }
  });

  test('production: closed to everyone', () => {
    expect(closed).toBe('closed');
    expect(refusedClient(closed, true)).toMatch(/closed/);
  });

  test('with MicrosoftAppId the adapter checks tokens and any serviceUrl may be used', () => {
    expect(azure).toBe('bot-framework');
    expect(refusedClient(azure, false)).toBeUndefined();
    expect(refusedServiceUrl(azure, 'https://smba.trafficmanager.net/apis/')).toBeUndefined();
  });
});
