import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, MemoryStorage, type TurnContext } from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import type { Knowledge } from '../knowledge/index';
import { isFaq } from '../knowledge/schema';
import { createRootMachine } from '../dialogs/rootMachine';
import { messages } from '../dialogs/messages';
import type { Config } from './config';
import { TurnRunner } from './conversation/turnRunner';
import { channelLocale, KefuBot } from './kefuBot';
import { hashId, type Logger } from './logger';
import { explainInvalidActivity } from './inboundActivity';
import type { KbSignalLog } from './storage/kbSignalLog';

export interface AppDeps {
  config: Config;
  knowledge: Knowledge;
  logger: Logger;
  signals: KbSignalLog;
}

export interface KefuApp {
  server: restify.Server;
  /** Resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting requests, lets in-flight turns finish (up to the grace period), closes. */
  shutdown(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createApp({ config, knowledge, logger, signals }: AppDeps): KefuApp {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);
  const conversationState = new ConversationState(new MemoryStorage());
  const runner = new TurnRunner(createRootMachine(knowledge.router), knowledge.router, config.DEFAULT_LOCALE);
  const bot = new KefuBot({ conversationState, runner, signals, logger });

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, conversation: hashId(context.activity.conversation?.id ?? '') }, 'turn failed');
    if (context.activity.type !== 'message') return;
    const locale = channelLocale(context.activity.locale) ?? config.DEFAULT_LOCALE;
    try {
      await context.sendActivity(messages(locale).turnFailed);
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };

  const server = restify.createServer({ name: 'kefu', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  const inFlight = new Set<Promise<unknown>>();
  let draining = false;

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'shutting down' });
      return;
    }
    const problem = explainInvalidActivity(req.body);
    if (problem) {
      logger.warn({ problem }, 'rejected activity');
      res.send(400, { error: problem });
      return;
    }
    const work = adapter.process(req, res, (context) => bot.run(context));
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', entries: knowledge.kb.entries.filter(isFaq).length });
  });

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          const address = server.address();
          resolve(address.port);
        });
      }),
    async shutdown() {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref());
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      server.server.closeAllConnections();
      await closed;
    },
  };
}
