import crypto from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { localOnly } from '../clientAddress';
import type { Config } from '../config';
import type { TurnAdmission } from '../limits/limits';
import type { Logger } from '../logger';
import { mainlandMobileSchema, type AccountPort } from '../../domain/accounts';
import { DemoDirectory, type DirectoryData } from './demoDirectory';
import { HttpAccounts } from './httpAccounts';
import { OtpService, type OtpStore } from './otp';
import { MemoryOtpStore } from '../storage/memory/otpStore';
import { ConsoleSmsOutbox, WebhookSms, type SharedOutbox, type SmsSender } from './sms';

/** The platform as the flows see it: accounts, SMS and one-time codes, built from config. */
export interface Platform {
  accounts: AccountPort;
  sms: SmsSender;
  otp: OtpService;
  /** Development tools, present only with the console SMS provider outside production. */
  /** `otpStore` is there so a reset can clear codes and send counters, in memory or Redis. */
  dev?: { outbox: ConsoleSmsOutbox; otpStore?: OtpStore; directory?: DemoDirectory };
}

/** Where the platform keeps what instances share: codes, and the demo directory and outbox. */
export interface PlatformStores {
  otpStore: OtpStore;
  directoryData?: DirectoryData;
  sharedOutbox?: SharedOutbox;
}

export function createPlatform(
  config: Config,
  logger: Logger,
  stores: PlatformStores = { otpStore: new MemoryOtpStore() },
  /** Counts a code about to be sent against the SMS limits (bot/limits/limits.ts). */
  admitSms?: () => Promise<TurnAdmission>,
): Platform {
  const { otpStore } = stores;
  const directory = config.ACCOUNT_BACKEND === 'demo' ? new DemoDirectory(undefined, stores.directoryData) : undefined;
  const accounts: AccountPort =
    directory ??
    new HttpAccounts({ baseUrl: config.ACCOUNT_API_URL as string, apiKey: config.ACCOUNT_API_KEY as string, timeoutMs: config.ACCOUNT_API_TIMEOUT_MS });
  const outbox = config.SMS_PROVIDER === 'console' ? new ConsoleSmsOutbox(logger, stores.sharedOutbox) : undefined;
  const sms: SmsSender =
    outbox ?? new WebhookSms({ url: config.SMS_WEBHOOK_URL as string, token: config.SMS_WEBHOOK_TOKEN as string, timeoutMs: 10_000 }, logger);
  const otp = new OtpService(otpStore, sms, config.OTP_SECRET ?? crypto.randomBytes(32).toString('base64url'), Date.now, admitSms);
  const devTools = outbox && config.NODE_ENV !== 'production' ? { outbox, otpStore, directory } : undefined;
  return { accounts, sms, otp, dev: devTools };
}

/**
 * Development routes of README's demo directory, like a mail catcher's API. They exist only
 * with the console SMS provider outside production; otherwise they are never mounted (404).
 * They show every code sent, so only this machine may call them (403 for anyone else).
 */
export function mountDevRoutes(server: Server, platform: Platform, trustedProxyHeader: string | undefined): void {
  const dev = platform.dev;
  if (!dev) return;
  const local = localOnly(trustedProxyHeader);
  const phoneOf = (value: unknown) => mainlandMobileSchema.safeParse(value);

  server.get('/api/dev/sms', local, async (req: Request, res: Response) => {
    const phone = phoneOf((req.query as Record<string, unknown> | undefined)?.phone);
    if (!phone.success) return void res.send(400, { error: 'phone must be a mainland mobile number' });
    res.send(200, await dev.outbox.sentTo(phone.data));
  });

  server.post('/api/dev/reset', local, async (_req: Request, res: Response) => {
    await dev.directory?.reset();
    await dev.outbox.reset();
    await dev.otpStore?.clear();
    res.send(200, { reset: true });
  });

  server.get('/api/dev/accounts/:phone', local, async (req: Request, res: Response) => {
    const phone = phoneOf(req.params.phone);
    if (!phone.success) return void res.send(400, { error: 'phone must be a mainland mobile number' });
    const account = await platform.accounts.findByPhone(phone.data);
    if (!account) return void res.send(404, { error: 'no account with this number' });
    res.send(200, { ...account, cases: await platform.accounts.casesOf(account.id) });
  });
}
