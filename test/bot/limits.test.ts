import { Writable } from 'node:stream';
import pino from 'pino';
import { ConfigError, loadConfig, parseRate } from '../../bot/config';
import { explainInvalidActivity, nestsDeeperThan } from '../../bot/inboundActivity';
import { clientAddress } from '../../bot/clientAddress';
import { Limits, limitRules, type LimitName } from '../../bot/limits/limits';
import { currentClient, withClient } from '../../bot/limits/turnClient';
import { MemoryRateLimiter } from '../../bot/storage/memory/rateLimit';
import type { RateLimiter } from '../../bot/storage/rateLimit';
import { OtpService } from '../../bot/services/otp';
import { MemoryOtpStore } from '../../bot/storage/memory/otpStore';

/** The pieces of the per-address limits: who the client is, the one counter, its refusals. */

const request = (remoteAddress: string, headers: Record<string, string | string[]> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as Parameters<typeof clientAddress>[0];

describe('clientAddress', () => {
  test('without a trusted header: the socket peer, whatever the headers say', () => {
    expect(clientAddress(request('203.0.113.5', { 'x-forwarded-for': '1.2.3.4' }))).toBe('ip:203.0.113.5');
    expect(clientAddress(request('::ffff:203.0.113.5'))).toBe('ip:203.0.113.5');
  });

  test('with one: its right-most entry, the one the proxy appended; what the client wrote to its left never counts', () => {
    expect(clientAddress(request('10.0.0.2', { 'x-forwarded-for': '198.51.100.7, 203.0.113.5' }), 'x-forwarded-for')).toBe('ip:203.0.113.5');
    expect(clientAddress(request('10.0.0.2', { 'x-forwarded-for': ['1.1.1.1', '203.0.113.5'] }), 'X-Forwarded-For')).toBe('ip:203.0.113.5');
    expect(clientAddress(request('10.0.0.2', { 'x-forwarded-for': '203.0.113.5:51234' }), 'x-forwarded-for')).toBe('ip:203.0.113.5');
    expect(clientAddress(request('10.0.0.2', { 'x-real-ip': '[2001:db8::1]:443' }), 'x-real-ip')).toBe('ip:2001:db8:0:0::/64');
  });

  test('a missing or unreadable header falls back to the socket peer', () => {
    expect(clientAddress(request('10.0.0.2'), 'x-forwarded-for')).toBe('ip:10.0.0.2');
    expect(clientAddress(request('10.0.0.2', { 'x-forwarded-for': 'unknown, <script>' }), 'x-forwarded-for')).toBe('ip:10.0.0.2');
  });

  test('IPv6 clients count by their /64, so rotating through one subscriber prefix does not help', () => {
    const a = clientAddress(request('2001:db8:aaaa:bbbb:1:2:3:4'));
    expect(a).toBe('ip:2001:db8:aaaa:bbbb::/64');
    expect(clientAddress(request('2001:db8:aaaa:bbbb:ffff::9'))).toBe(a);
    expect(clientAddress(request('2001:db8:aaaa:bbbc::1'))).not.toBe(a);
    expect(clientAddress(request('::1'))).toBe('ip:0:0:0:0::/64');
    expect(clientAddress(request('fe80::1%eth0'))).toBe('ip:fe80:0:0:0::/64');
  });
});

describe('Limits', () => {
  const rules = { ...limitRules(loadConfig({})), 'handoffs-per-address': { max: 2, windowMs: 1000 } };
  function setup(counter: RateLimiter = new MemoryRateLimiter(clock.now)) {
    const lines: { msg: string; limit: string; client: string }[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString()) as (typeof lines)[0]), done()) }));
    const hits: LimitName[] = [];
    return { limits: new Limits(counter, rules, logger, { limitHit: (limit) => hits.push(limit) }), lines, hits };
  }
  const clock = { t: 0, now: () => clock.t };

  test('allows up to the count in a window, refuses beyond; every refusal counted, one logged per window, the client hashed', async () => {
    const { limits, lines, hits } = setup();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limits.take('handoffs-per-address', 'ip:203.0.113.9'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, false, false, false]);
    expect(results[2]).toEqual({ allowed: false, reason: 'over', retryAfterS: 1, first: true });
    expect(hits).toEqual(['handoffs-per-address', 'handoffs-per-address', 'handoffs-per-address']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(expect.objectContaining({ limit: 'handoffs-per-address', msg: 'limit reached: refused' }));
    expect(JSON.stringify(lines)).not.toContain('203.0.113.9');
    // Another client has its own count; the next window starts afresh.
    expect((await limits.take('handoffs-per-address', 'ip:203.0.113.10')).allowed).toBe(true);
    clock.t += 1000;
    expect((await limits.take('handoffs-per-address', 'ip:203.0.113.9')).allowed).toBe(true);
  });

  test('takeForTurn counts the client of the current turn (and everyone, when asked); without a turn client only the overall limit', async () => {
    const { limits } = setup();
    const sms = { ...rules['sms-per-address'] };
    expect(sms.max).toBeGreaterThan(0);
    expect(await withClient('ip:1', async () => currentClient())).toBe('ip:1');
    expect(currentClient()).toBeUndefined();
    const inTurn = await withClient('ip:203.0.113.11', async () => [await limits.takeForTurn('handoffs-per-address'), await limits.takeForTurn('handoffs-per-address'), await limits.takeForTurn('handoffs-per-address')]);
    expect(inTurn).toEqual(['ok', 'ok', 'over']);
    expect(await limits.takeForTurn('handoffs-per-address')).toBe('ok');
  });

  test('a counter that cannot be reached: cheap uses go through (they meet the outage themselves), SMS sends are refused as unavailable', async () => {
    const { limits, hits } = setup({ hit: () => Promise.reject(new Error('redis down')) });
    for (const limit of ['messages-per-user', 'messages-per-address', 'conversations-per-address', 'handoffs-per-address'] as const) {
      expect([limit, await limits.take(limit, 'ip:1')]).toEqual([limit, { allowed: true }]);
    }
    for (const limit of ['sms-per-address', 'sms-total'] as const) {
      expect([limit, await limits.take(limit, 'ip:1')]).toEqual([limit, { allowed: false, reason: 'unavailable', retryAfterS: 5 }]);
    }
    expect(await withClient('ip:203.0.113.12', () => limits.takeForTurn('sms-per-address', 'sms-total'))).toBe('unavailable');
    expect(await limits.takeForTurn('sms-per-address', 'sms-total')).toBe('unavailable');
    expect(hits).toEqual([]);
  });

  test('an SMS code is never sent while its limits cannot be counted', async () => {
    const { limits } = setup({ hit: () => Promise.reject(new Error('redis down')) });
    const sent: string[] = [];
    const otp = new OtpService(new MemoryOtpStore(), { send: async (message) => void sent.push(message.phone) }, 'a-server-secret-of-at-least-32-chars!!', clock.now, () =>
      limits.takeForTurn('sms-per-address', 'sms-total'),
    );
    expect(await withClient('ip:203.0.113.13', () => otp.send('13800000002', 'unlock', 'zh-CN'))).toEqual({ status: 'unavailable' });
    expect(sent).toEqual([]);
  });
});

describe('limit settings', () => {
  test('"count/window" in seconds, minutes or hours', () => {
    expect(parseRate('600/1m')).toEqual({ max: 600, windowMs: 60_000 });
    expect(parseRate('20/1h')).toEqual({ max: 20, windowMs: 3_600_000 });
    expect(parseRate('5/30s')).toEqual({ max: 5, windowMs: 30_000 });
    expect(() => parseRate('5 per hour')).toThrow(ConfigError);
    expect(() => loadConfig({ LIMIT_SMS_TOTAL: '1000/day' })).toThrow(/LIMIT_SMS_TOTAL="1000\/day" — expected a count per window/);
  });
});

describe('activity shape', () => {
  const nested = (depth: number): unknown => (depth <= 1 ? {} : { a: nested(depth - 1) });

  test('nesting is measured in objects and arrays, the top level being 1', () => {
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
    expect(nestsDeeperThan([[[1]]], 2)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  test('/api/messages turns away an activity nested too deep before anything else', () => {
    const activity = { type: 'message', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:1', conversation: { id: 'c' }, value: nested(40) };
    expect(explainInvalidActivity(activity)).toBe('invalid activity: nested deeper than 32 levels');
    expect(explainInvalidActivity({ ...activity, value: nested(5) })).toBeUndefined();
  });
});
