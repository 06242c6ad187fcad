import type { Request, Response, Server } from 'restify';
import { botEndpointMode, refusedClient, refusedServiceUrl } from '../botEndpoint';
import { isLocalRequest } from '../clientAddress';
import type { Config } from '../config';
import { explainInvalidActivity } from '../inboundActivity';
import type { AddressLimits } from '../limits/httpLimits';
import type { Logger } from '../logger';

export interface MessagesRouteDeps {
  config: Pick<Config, 'MicrosoftAppId' | 'NODE_ENV' | 'TRUSTED_PROXY_HEADER'>;
  logger: Logger;
  perAddress: AddressLimits;
  /** True while shutting down: activities are refused with 503. */
  draining(): boolean;
  /** Runs the activity through the adapter; `client` is the address to count it against, if any. */
  process(req: Request, res: Response, client: string | undefined): Promise<void>;
}

/**
 * The Bot Framework endpoint, POST /api/messages. Everything is refused before the adapter
 * runs, so a refused activity never makes the bot send anything.
 */
export function mountMessagesRoute(server: Server, { config, logger, perAddress, draining, process }: MessagesRouteDeps): void {
  const endpointMode = botEndpointMode(config);
  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining()) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'shutting down' });
      return;
    }
    const refusal = refusedClient(endpointMode, isLocalRequest(req, config.TRUSTED_PROXY_HEADER));
    if (refusal) {
      logger.warn({ problem: refusal }, 'refused activity');
      res.send(403, { error: refusal });
      return;
    }
    const problem = explainInvalidActivity(req.body);
    if (problem) {
      logger.warn({ problem }, 'rejected activity');
      res.send(400, { error: problem });
      return;
    }
    const elsewhere = refusedServiceUrl(endpointMode, (req.body as { serviceUrl?: unknown }).serviceUrl);
    if (elsewhere) {
      logger.warn({ problem: elsewhere }, 'refused activity');
      res.send(403, { error: elsewhere });
      return;
    }
    // Without Bot Framework authentication anyone can name any user: count the address. With
    // it, callers are the channel's servers, and the user the channel vouches for is counted in the turn.
    const client = config.MicrosoftAppId ? undefined : perAddress.clientOf(req);
    if (client && !(await perAddress.admit(req, res, 'messages-per-address', (req.body as { locale?: unknown }).locale))) return;
    await process(req, res, client);
  });
}
