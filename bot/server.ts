import crypto from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, EventFactory, type Activity, type TurnContext } from 'botbuilder';
import restify, { type Request, type Response } from 'restify';
import type { Knowledge } from '../knowledge/index';
import type { Router } from '../knowledge/route';
import { watchKnowledge } from '../knowledge/watch';
import { isFaq } from '../knowledge/schema';
import { createRootMachine } from '../dialogs/root/machine';
import { messages } from '../dialogs/messages';
import { attachmentBase, ownAttachmentPath } from './channels/directline/publicUrl';
import { mountDirectLine, UPLOAD_ROUTE } from './channels/directline/service';
import { attachDirectLineStream } from './channels/directline/stream';
import { DirectLineTokens } from './channels/directline/tokens';
import { mountWebChat, type WebChatDirectLine } from './channels/webchat/routes';
import { thresholdsOf, type Config } from './config';
import { answerValuesOf } from './answerValues';
import { botEndpointMode, refusedClient, refusedServiceUrl } from './botEndpoint';
import { isLocalRequest } from './clientAddress';
import { createPlatform, mountDevRoutes, type Platform } from './services/platform';
import { createFlows } from './conversation/flowActors';
import { TurnRunner } from './conversation/turnRunner';
import { channelLocale, KefuBot } from './kefuBot';
import { hashId, httpLogger, type Logger } from './logger';
import { explainInvalidActivity, MAX_CHANNEL_ACTIVITY_BYTES, MAX_USER_ACTIVITY_BYTES } from './inboundActivity';
import { parseRequestTarget } from './http/requestTarget';
import { addressLimits } from './limits/httpLimits';
import { Limits, limitRules } from './limits/limits';
import { CLIENT_ADDRESS } from './limits/turnClient';
import type { KbSignalLog } from './storage/kbSignalLog';
import { createMetrics, type Metrics } from './metrics';
import { AgentDirectory, DEMO_AGENTS_FILE } from './handoff/agents';
import { loadCannedReplies } from './handoff/cannedReplies';
import type { ConversationNotice, HandoffContext, TranscriptEntry } from './handoff/model';
import { mountAgentConsole } from './handoff/routes';
import { parseSchedule } from './handoff/schedule';
import { HandoffService } from './handoff/service';
import { AgentSessions } from './handoff/sessions';
import { createBackend, type Backend } from './storage/backend';

export interface AppDeps {
  config: Config;
  knowledge: Knowledge;
  logger: Logger;
  signals: KbSignalLog;
  /** Where shared state lives; by default from the config (memory, or Redis with REDIS_URL). */
  backend?: Backend;
  metrics?: Metrics;
  platform?: Platform;
}

export interface KefuApp {
  server: restify.Server;
  /** Resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting requests, lets in-flight turns finish (up to the grace period), closes. */
  shutdown(): Promise<void>;
}

/** The knowledge base as the app uses it: swapped whole when the files change. */
function liveRouter(current: () => Knowledge): Router {
  return {
    route: (text, locale) => current().router.route(text, locale),
    entry: (id, locale) => current().router.entry(id, locale),
  };
}

const UPLOAD_PATH = /^\/v3\/directline\/conversations\/[^/?]+\/upload(\?|$)/;
/** The two routes where activities arrive, with the most each may be (bot/inboundActivity.ts). */
const ACTIVITY_ROUTES: { method: string; path: RegExp; maxBytes: number }[] = [
  { method: 'POST', path: /^\/api\/messages(\?|$)/, maxBytes: MAX_CHANNEL_ACTIVITY_BYTES },
  { method: 'POST', path: /^\/v3\/directline\/conversations\/[^/?]+\/activities(\?|$)/, maxBytes: MAX_USER_ACTIVITY_BYTES },
];

/** The route a request matched, never its path: paths carry conversation ids, which are not logged. */
const routeOf = (req: Request) => String(req.getRoute()?.path ?? 'unrouted');

/** The bot's id in channels that do not assign one (the embedded Direct Line). */
const BOT_ID = 'kefu-bot';

/**
 * The operator's agents; outside production without a file, the demo agents of README, whose
 * passwords everyone knows — so they answer only on this machine (`localOnly`).
 */
function agentDirectory(config: Config, logger: Logger): { agents: AgentDirectory; localOnly: boolean } {
  if (config.AGENTS_FILE) return { agents: AgentDirectory.fromFile(config.AGENTS_FILE), localOnly: false };
  if (config.NODE_ENV !== 'production') return { agents: AgentDirectory.fromFile(DEMO_AGENTS_FILE), localOnly: true };
  logger.warn('no AGENTS_FILE: nobody can sign in to the agent console, so handoffs become messages for later');
  return { agents: new AgentDirectory([]), localOnly: false };
}

function webChatDirectLine(config: Config, tokens: DirectLineTokens, embedded: boolean): WebChatDirectLine {
  if (embedded) return { kind: 'embedded', tokens };
  if (config.WEBCHAT_DIRECTLINE_URL && config.DIRECTLINE_SECRET) return { kind: 'remote', url: config.WEBCHAT_DIRECTLINE_URL, secret: config.DIRECTLINE_SECRET };
  return {
    kind: 'unavailable',
    reason: 'web chat needs WEBCHAT_DIRECTLINE_URL and DIRECTLINE_SECRET (Azure Direct Line) when MicrosoftAppId is set',
  };
}

export function createApp({
  config,
  knowledge: initialKnowledge,
  logger,
  signals,
  backend = createBackend(config, logger),
  platform: givenPlatform,
  metrics = createMetrics(),
}: AppDeps): KefuApp {
  // Every limit counts in one place, shared by the instances with Redis.
  const limits = new Limits(backend.rateLimiter, limitRules(config), logger, metrics);
  const perAddress = addressLimits(limits, config.TRUSTED_PROXY_HEADER, config.DEFAULT_LOCALE);
  const platform = givenPlatform ?? createPlatform(config, logger, backend.platformStores, () => limits.takeForTurn('sms-per-address', 'sms-total'));
  let knowledge = initialKnowledge;
  const router = liveRouter(() => knowledge);
  const watcher =
    config.KB_RELOAD === 'true'
      ? watchKnowledge({ dir: config.kbDir, thresholds: thresholdsOf(config), defaultLocale: config.DEFAULT_LOCALE }, (next) => (knowledge = next), logger)
      : undefined;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);
  const conversationState = new ConversationState(backend.storage);

  const inFlight = new Set<Promise<unknown>>();
  const track = async <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    try {
      return await work;
    } finally {
      inFlight.delete(work);
    }
  };

  // The handoff reaches users from outside their turns: a proactive turn on the stored reference.
  const { handoffStore, consoleBus } = backend;
  const proactive = async (conversation: string, logic: (context: TurnContext) => Promise<void>): Promise<void> => {
    const reference = await handoffStore.reference(conversation);
    if (!reference) throw new Error('no conversation reference stored');
    await track(adapter.continueConversationAsync(config.MicrosoftAppId ?? '', reference, logic));
  };
  const notify = (conversation: string, notice: ConversationNotice): Promise<void> => proactive(conversation, (context) => bot.notice(context, notice));
  // External mode: the Bot Framework handoff protocol, for contact-centre hubs.
  const initiateExternal = (conversation: string, handoff: { context: HandoffContext; transcript: TranscriptEntry[] }): Promise<void> =>
    proactive(conversation, async (context) => {
      const activities = handoff.transcript.map((entry) => ({
        type: 'message',
        text: entry.text,
        timestamp: new Date(entry.at),
        from: { id: entry.from, name: entry.agentName ?? entry.from, role: entry.from === 'user' ? 'user' : 'bot' },
      })) as Activity[];
      await context.sendActivity(EventFactory.createHandoffInitiation(context, handoff.context, { activities }));
    });
  const handoff = new HandoffService({
    store: handoffStore,
    bus: consoleBus,
    schedule: parseSchedule(config.HANDOFF_HOURS, config.HANDOFF_TIMEZONE),
    queueTimeoutMs: config.HANDOFF_QUEUE_TIMEOUT_S * 1000,
    defaultHandleMs: config.HANDOFF_AVG_HANDLE_S * 1000,
    notify,
    metrics,
    initiateExternal: config.HANDOFF_MODE === 'external' ? initiateExternal : undefined,
    logger,
    admit: () => limits.takeForTurn('handoffs-per-address'),
  });

  const machine = createRootMachine({
    entry: (id, locale) => router.entry(id, locale),
    answerValues: answerValuesOf(config),
    flows: createFlows(platform, { maxUploadBytes: config.DIRECTLINE_MAX_UPLOAD_BYTES }),
    handoff,
  });
  const runner = new TurnRunner(machine, router, config.DEFAULT_LOCALE, config.FLOW_IDLE_TIMEOUT_S * 1000, config.MAX_MESSAGE_CHARS);
  const bot = new KefuBot({
    conversationState,
    runner,
    signals,
    handoff,
    lock: backend.turnLock,
    metrics,
    limits,
    logger,
  });

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, conversation: hashId(context.activity.conversation?.id ?? '') }, 'turn failed');
    if (context.activity.type !== 'message') return;
    const locale = channelLocale(context.activity.locale) ?? config.DEFAULT_LOCALE;
    try {
      // With the shared store down, say so plainly: the user can only wait.
      await context.sendActivity(backend.outage(error) ? messages(locale).unavailable : messages(locale).turnFailed);
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };

  // restify 11 logs through pino; @types/restify still describes its bunyan days, hence the cast.
  const log = httpLogger(logger) as unknown as restify.ServerOptions['log'];
  const server = restify.createServer({ name: 'kefu', handleUncaughtExceptions: false, log });
  // Multipart bodies are accepted only where files are expected; that route streams them
  // itself under its caps, in memory.
  server.pre((req, res, next) => {
    // A target no route could read (absolute-form, "//host…", broken percent-escapes) is
    // refused here, once, before any handler tries to parse it.
    if (!parseRequestTarget(req.url)) {
      res.send(400, { error: 'malformed request target' });
      return next(false);
    }
    const multipart = /^multipart\//i.test(String(req.headers['content-type'] ?? ''));
    if (multipart && !UPLOAD_PATH.test(req.url ?? '')) {
      res.send(415, { error: 'multipart bodies are only accepted by the Direct Line upload' });
      return next(false);
    }
    return next();
  });
  // The one place a failed request is logged and answered: a shared-store outage is the
  // client's 503 (with the sentence users see in chat), anything else a 500 that names no
  // internals. Errors restify raised itself (400, 404, 413 …) already have their status.
  server.on('restifyError', (req: Request, res: Response, error: unknown, done: () => void) => {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status !== 'number' && !res.headersSent) {
      if (backend.outage(error)) {
        logger.warn({ err: error, route: routeOf(req) }, 'request failed: shared store unavailable');
        res.header('Retry-After', '5');
        res.send(503, { error: 'service temporarily unavailable', message: messages(config.DEFAULT_LOCALE).unavailable });
      } else {
        logger.error({ err: error, route: routeOf(req) }, 'request failed');
        res.send(500, { error: 'internal error' });
      }
    }
    done();
  });
  // Activities are parsed whole before anyone looks at them: each activity route's cap is
  // checked on the declared length first, and a compressed body (whose size says nothing of
  // what it unpacks to) is not accepted anywhere.
  server.pre((req, res, next) => {
    const encoding = (req.headers['content-encoding'] || 'identity').toLowerCase();
    if (encoding !== 'identity') {
      res.send(415, { error: 'compressed request bodies are not accepted' });
      return next(false);
    }
    const route = ACTIVITY_ROUTES.find((r) => r.method === req.method && r.path.test(req.url ?? ''));
    if (!route) return next();
    if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
      res.send(411, { error: 'an activity needs a Content-Length' });
      return next(false);
    }
    if (Number(req.headers['content-length'] ?? 0) > route.maxBytes) {
      res.send(413, { error: `activity is larger than ${route.maxBytes} bytes` });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // JSON and form bodies only: restify's multipart parser (formidable, which writes to the
  // temporary directory) is never in the chain, and the upload route's body is left unread.
  const parsers = [
    restify.plugins.bodyReader({ maxBodySize: MAX_CHANNEL_ACTIVITY_BYTES }),
    ...restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }),
    ...restify.plugins.urlEncodedBodyParser({ bodyReader: true, mapParams: false }),
  ];
  for (const parse of parsers) server.use((req, res, next) => (req.getRoute()?.path === UPLOAD_ROUTE ? next() : parse(req, res, next)));

  let draining = false;
  let port = 0;
  const loopbackUrl = () => `http://127.0.0.1:${port}`;

  // Refused before the adapter runs, so a refused activity never makes the bot send anything.
  const endpointMode = botEndpointMode(config);
  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '5');
      res.send(503, { error: 'shutting down' });
      return;
    }
    const refusal = refusedClient(endpointMode, isLocalRequest(req));
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
    await track(
      adapter.process(req, res, (context) => {
        if (client) context.turnState.set(CLIENT_ADDRESS, client);
        return bot.run(context);
      }),
    );
  });

  // The web chat widget and, unless it talks to Azure's, the embedded Direct Line.
  const tokens = new DirectLineTokens(config.DIRECTLINE_SECRET ?? crypto.randomBytes(32).toString('base64url'), config.DIRECTLINE_TOKEN_TTL_S);
  const store = backend.directLineStore;
  const embedded = !config.WEBCHAT_DIRECTLINE_URL && !config.MicrosoftAppId;
  let stream: { close(): void } | undefined;
  if (embedded) {
    if (config.NODE_ENV === 'production' && !config.PUBLIC_URL) {
      logger.warn('PUBLIC_URL is not set: links to uploaded files point at http://127.0.0.1, which only this machine can open');
    }
    mountDirectLine(server, {
      store,
      tokens,
      logger,
      botId: BOT_ID,
      maxUploadBytes: config.DIRECTLINE_MAX_UPLOAD_BYTES,
      publicUrl: config.PUBLIC_URL,
      serviceUrl: loopbackUrl,
      deliver: async (activity, client) => {
        if (draining) throw new Error('shutting down');
        await track(
          adapter.processActivityDirect('', activity as Activity, (context) => {
            if (client) context.turnState.set(CLIENT_ADDRESS, client);
            return bot.run(context);
          }),
        );
      },
      limits: perAddress,
    });
    stream = attachDirectLineStream(server.server, {
      store,
      tokens,
      logger,
      unavailable: (error) => backend.outage(error),
      limits: perAddress,
      maxStreamsPerConversation: config.LIMIT_STREAMS_PER_CONVERSATION,
    });
  }
  mountWebChat(server, webChatDirectLine(config, tokens, embedded), logger, perAddress);
  mountDevRoutes(server, platform);
  const agentConsole = mountAgentConsole(server, {
    service: handoff,
    bus: consoleBus,
    ...agentDirectory(config, logger),
    sessions: new AgentSessions(backend.sessionStore, config.AGENT_SESSION_TTL_S * 1000),
    canned: loadCannedReplies(config.CANNED_REPLIES_FILE),
    logger,
    secureCookies: config.NODE_ENV === 'production',
    trustedProxyHeader: config.TRUSTED_PROXY_HEADER,
    metrics,
    // Only files of the embedded Direct Line become links for agents; other URLs users post stay text.
    attachmentLink: (url) => (embedded ? ownAttachmentPath(attachmentBase(config.PUBLIC_URL, loopbackUrl()), url) : undefined),
  });
  // Queued chats nobody claims in time expire; checked often enough to be on time.
  const sweeper = setInterval(
    // During a store outage the sweep waits for the next tick; the outage itself is logged once.
    () => void handoff.sweep().catch((error: unknown) => backend.outage(error) || logger.error({ err: error }, 'handoff sweep failed')),
    Math.min(5000, (config.HANDOFF_QUEUE_TIMEOUT_S * 1000) / 2),
  );
  sweeper.unref();

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', entries: knowledge.kb.entries.filter(isFaq).length });
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.sendRaw(200, await metrics.registry.metrics());
  });

  // Readiness, for the load balancer: the knowledge base is loaded and the shared store answers.
  server.get('/readyz', async (_req: Request, res: Response) => {
    const entries = knowledge.kb.entries.filter(isFaq).length;
    const store = (await backend.ready()) ? 'ok' : 'unreachable';
    const ready = entries > 0 && store === 'ok' && !draining;
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', entries, store: `${backend.kind}: ${store}` });
  });

  return {
    server,
    async listen() {
      // Redis down at start-up is no reason not to start: the instance reports not ready and
      // connects when Redis appears. Up, it is connected before the first request arrives.
      if (!(await backend.connected(5000))) logger.warn('shared store not reachable yet: starting anyway, not ready until it is');
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          port = server.address().port;
          resolve(port);
        });
      });
    },
    async shutdown() {
      draining = true;
      clearInterval(sweeper);
      watcher?.close();
      stream?.close();
      agentConsole.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref());
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      server.server.closeAllConnections();
      await closed;
      await backend.close();
    },
  };
}
