import type { Config } from './config';
import { isLoopbackUrl } from './clientAddress';

/**
 * Who may use the Bot Framework endpoint `/api/messages`. With `MicrosoftAppId` every request
 * carries a Bot Framework token the adapter checks. Without it nothing proves who sent an
 * activity, and the bot POSTs its replies to the activity's `serviceUrl` — so it is open only
 * to the Emulator on this machine (client and serviceUrl both loopback), and closed in
 * production. The embedded Direct Line hands activities to the bot in-process and is not
 * affected.
 */
export type BotEndpointMode = 'bot-framework' | 'emulator' | 'closed';

export function botEndpointMode(config: Pick<Config, 'MicrosoftAppId' | 'NODE_ENV'>): BotEndpointMode {
  if (config.MicrosoftAppId) return 'bot-framework';
  return config.NODE_ENV === 'production' ? 'closed' : 'emulator';
}

/** For the start-up log line. */
export const BOT_ENDPOINT_LOG: Record<BotEndpointMode, string> = {
  'bot-framework': 'bot-framework',
  emulator: 'none: /api/messages open only to the Emulator on this machine (loopback client and serviceUrl)',
  closed: 'none: /api/messages closed (production without MicrosoftAppId); the embedded Direct Line serves the widget',
};

/** Why a request cannot go on, before its body is read; undefined lets it on. */
export function refusedClient(mode: BotEndpointMode, localClient: boolean): string | undefined {
  if (mode === 'closed') return 'the Bot Framework endpoint is closed: set MicrosoftAppId to connect a channel';
  if (mode === 'emulator' && !localClient) return 'without MicrosoftAppId only the Emulator on this machine may call this endpoint';
  return undefined;
}

/** Why a (valid) activity cannot go on: the replies would go to another machine. */
export function refusedServiceUrl(mode: BotEndpointMode, serviceUrl: unknown): string | undefined {
  if (mode === 'emulator' && !isLoopbackUrl(serviceUrl)) return 'without MicrosoftAppId the serviceUrl must be on this machine (localhost, 127.0.0.0/8 or ::1)';
  return undefined;
}
