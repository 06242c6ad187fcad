import { startKefu, type RunningKefu } from '../support/kefuServer';

/** The development routes of README's demo directory, and when they must not exist. */
describe('development routes (console SMS provider, not production)', () => {
  let kefu: RunningKefu;
  beforeAll(async () => {
    kefu = await startKefu();
  });
  afterAll(async () => {
    await kefu.stop();
  });

  test('GET /api/dev/accounts/:phone returns the demo record with its cases', async () => {
    const response = await fetch(`${kefu.url}/api/dev/accounts/13800000002`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expect.objectContaining({ phone: '13800000002', status: 'locked', lockReason: 'wrong_password', cases: [] }));
    expect((await fetch(`${kefu.url}/api/dev/accounts/13900000000`)).status).toBe(404);
    expect((await fetch(`${kefu.url}/api/dev/accounts/123`)).status).toBe(400);
  });

  test('GET /api/dev/sms lists the messages to a number, newest first', async () => {
    const response = await fetch(`${kefu.url}/api/dev/sms?phone=13800000002`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
    expect((await fetch(`${kefu.url}/api/dev/sms?phone=abc`)).status).toBe(400);
  });

  test('POST /api/dev/reset answers', async () => {
    const response = await fetch(`${kefu.url}/api/dev/reset`, { method: 'POST' });
    expect(response.status).toBe(200);
  });
});

test.each([
  ['production', { NODE_ENV: 'production', OTP_SECRET: 'x'.repeat(40) }],
  ['the webhook SMS provider', { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms', SMS_WEBHOOK_TOKEN: 't' }],
])('with %s the development routes answer 404', async (_name, env) => {
  const kefu = await startKefu(env);
  try {
    expect((await fetch(`${kefu.url}/api/dev/sms?phone=13800000002`)).status).toBe(404);
    expect((await fetch(`${kefu.url}/api/dev/reset`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${kefu.url}/api/dev/accounts/13800000002`)).status).toBe(404);
  } finally {
    await kefu.stop();
  }
});
