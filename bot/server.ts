import crypto from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConversationState, type Activity, type TurnContext } from 'botbuilder';
import restify from './http/restify';
import type { Knowledge } from '../knowledge/index';
import { buildVersion } from '../knowledge/versions/build';
import { followVersions } from '../knowledge/versions/follow';
import type { Router } from '../knowledge/route';
import { watchKnowledge } from '../knowledge/watch';
import { messages } from '../dialogs/messages';
import { attachmentBase, ownAttachmentPath } from './channels/directline/publicUrl';
import { mountDirectLine } from './channels/directline/service';
import { attachDirectLineStream } from './channels/directline/stream';
import { DirectLineTokens } from './channels/directline/tokens';
import { mountWebChat, type WebChatDirectLine } from './channels/webchat/routes';
import { linkHostsOf, thresholdsOf, type Config } from './config';
import { createPlatform, mountDevRoutes, type Platform } from './services/platform';
import { createConversationCore } from './conversation/core';
import { channelLocale, KefuBot } from './kefuBot';
import { hashId, httpLogger, type Logger } from './logger';
import { guardRequests } from './http/guards';
import { mountMessagesRoute } from './http/messagesRoute';
import { mountOpsRoutes } from './http/opsRoutes';
import { addressLimits } from './limits/httpLimits';
import { Limits, limitRules } from './limits/limits';
import { CLIENT_ADDRESS } from './limits/turnClient';
import type { KbSignalLog } from './storage/kbSignalLog';
import { createMetrics, type Metrics } from './metrics';
import { Lifecycle } from './lifecycle';
import { AgentDirectory, DEMO_AGENTS_FILE } from './handoff/agents';
import { loadCannedReplies } from './handoff/cannedReplies';
import { mountKnowledgePage } from './desk/page';
import { mountAgentConsole } from './handoff/routes';
import { mountInsights } from './desk/insightsRoute';
import { recordSafely } from './desk/recordSafely';
import { AgentSessions } from './handoff/sessions';
import { createHandoffService, proactiveHandoff, sweepHandoffQueue } from './handoff/wiring';
import { TeamsAgents } from './handoff/teamsAgents';
import { TeamsThreads } from './handoff/teamsAgents/threads';
import { createBackend, type Backend } from './storage/backend';
import { answerValuesOf } from './answerValues';
import { deskContext } from './desk/context';
import { mountKnowledgeDesk } from './desk/routes';
import { PROJECT_ROOT } from './projectRoot';
import { readKnowledgeFiles } from '../knowledge/loader';
import type { VersionFile } from '../knowledge/versions/schema';
import path from 'node:path';

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
    route: (text, locale, context) => current().router.route(text, locale, context),
    entry: (id, locale) => current().router.entry(id, locale),
    get acts() {
      return current().router.acts;
    },
  };
}

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
  // restify 11 logs through pino; @types/restify still describes its bunyan days, hence the cast.
  const log = httpLogger(logger) as unknown as restify.ServerOptions['log'];
  const server = restify.createServer({ name: 'kefu', handleUncaughtExceptions: false, log });
  const lifecycle = new Lifecycle(server, config.SHUTDOWN_GRACE_MS);
  let knowledge = initialKnowledge;
  const router = liveRouter(() => knowledge);
  if (config.KB_RELOAD === 'true') {
    const watcher = watchKnowledge({ dir: config.kbDir, thresholds: thresholdsOf(config), defaultLocale: config.DEFAULT_LOCALE, linkHosts: linkHostsOf(config) }, (next) => (knowledge = next), logger);
    lifecycle.onShutdown(() => watcher.close());
  }
  // Published versions win over the seed files as soon as one exists; a file edit under
  // KB_RELOAD still swaps in the files on this instance, the next publication replaces them.
  const versions = followVersions(
    backend.kbVersions,
    (version) => buildVersion(version, { thresholds: thresholdsOf(config), defaultLocale: config.DEFAULT_LOCALE, linkHosts: linkHostsOf(config) }),
    (next) => (knowledge = next),
    logger,
    config.KB_VERSION_CHECK_S * 1000,
  );
  lifecycle.onShutdown(() => versions.close());
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  });
  const adapter = new CloudAdapter(auth);

  const { handoffStore, consoleBus } = backend;
  const insights = recordSafely(backend.insights, logger);
  const handoff = createHandoffService(config, {
    store: handoffStore,
    bus: consoleBus,
    typingThrottle: backend.throttle,
    ...proactiveHandoff({ adapter, appId: config.MicrosoftAppId ?? '', store: handoffStore, track: lifecycle.track, notice: (context, notice) => bot.notice(context, notice) }),
    metrics,
    insights,
    records: backend.records?.history,
    logger,
    admit: async () => (await limits.takeForTurn('handoffs-per-address')) === 'ok',
  });
  const bot = new KefuBot({
    conversationState: new ConversationState(backend.storage),
    runner: createConversationCore({ config, router, platform, handoff }),
    signals,
    handoff,
    lock: backend.turnLock,
    metrics,
    limits,
    logger,
    defaultLocale: config.DEFAULT_LOCALE,
    linkHosts: linkHostsOf(config),
    insights,
  });
  const directory = agentDirectory(config, logger);
  // Agents in Teams, beside the console (not in external mode: the hub has the chats then).
  const teamsAgents =
    config.HANDOFF_MODE === 'console'
      ? new TeamsAgents({
          service: handoff,
          store: handoffStore,
          agents: directory.agents,
          threads: new TeamsThreads({ adapter, appId: config.MicrosoftAppId ?? '', track: lifecycle.track }),
          configured:
            config.AGENT_TEAMS_CONVERSATION && config.AGENT_TEAMS_SERVICE_URL
              ? { conversation: config.AGENT_TEAMS_CONVERSATION, serviceUrl: config.AGENT_TEAMS_SERVICE_URL, ...(config.AGENT_TEAMS_TENANT_ID ? { tenantId: config.AGENT_TEAMS_TENANT_ID } : {}) }
              : undefined,
          tenantId: config.AGENT_TEAMS_TENANT_ID,
          presenceMs: config.HANDOFF_PRESENCE_S * 1000,
          logger,
        })
      : undefined;
  if (teamsAgents) lifecycle.onShutdown(teamsAgents.start());
  // The turn of an activity that arrived over HTTP, counted against the address it came from.
  // The agents' Teams channel is no user's conversation: its activities never reach the bot.
  const turnFrom = (client: string | undefined) => async (context: TurnContext) => {
    if (teamsAgents && (await teamsAgents.handles(context.activity))) return teamsAgents.run(context);
    if (client) context.turnState.set(CLIENT_ADDRESS, client);
    return bot.run(context);
  };

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

  guardRequests(server, { logger, outage: (error) => backend.outage(error), locale: config.DEFAULT_LOCALE });
  const loopbackUrl = () => `http://127.0.0.1:${lifecycle.port}`;

  mountMessagesRoute(server, {
    config,
    logger,
    perAddress,
    draining: () => lifecycle.draining,
    process: (req, res, client) => lifecycle.track(adapter.process(req, res, turnFrom(client))),
  });

  // The web chat widget and, unless it talks to Azure's, the embedded Direct Line.
  const tokens = new DirectLineTokens(config.DIRECTLINE_SECRET ?? crypto.randomBytes(32).toString('base64url'), config.DIRECTLINE_TOKEN_TTL_S);
  const store = backend.directLineStore;
  const embedded = !config.WEBCHAT_DIRECTLINE_URL && !config.MicrosoftAppId;
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
        if (lifecycle.draining) throw new Error('shutting down');
        await lifecycle.track(adapter.processActivityDirect('', activity as Activity, turnFrom(client)));
      },
      limits: perAddress,
      trustedProxyHeader: config.TRUSTED_PROXY_HEADER,
    });
    const stream = attachDirectLineStream(server.server, {
      store,
      tokens,
      logger,
      unavailable: (error) => backend.outage(error),
      limits: perAddress,
      maxStreamsPerConversation: config.LIMIT_STREAMS_PER_CONVERSATION,
    });
    lifecycle.onShutdown(() => stream.close());
  }
  mountWebChat(server, webChatDirectLine(config, tokens, embedded), logger, perAddress);
  mountDevRoutes(server, platform, config.TRUSTED_PROXY_HEADER);
  const sessions = new AgentSessions(backend.sessionStore, config.AGENT_SESSION_TTL_S * 1000);
  const agentConsole = mountAgentConsole(server, {
    service: handoff,
    bus: consoleBus,
    ...directory,
    sessions,
    canned: loadCannedReplies(config.CANNED_REPLIES_FILE),
    logger,
    secureCookies: config.NODE_ENV === 'production',
    trustedProxyHeader: config.TRUSTED_PROXY_HEADER,
    metrics,
    // Only files of the embedded Direct Line become links for agents; other URLs users post stay text.
    attachmentLink: (url) => (embedded ? ownAttachmentPath(attachmentBase(config.PUBLIC_URL, loopbackUrl()), url) : undefined),
  });
  lifecycle.onShutdown(() => agentConsole.close());
  mountKnowledgePage(server);
  let seed: VersionFile[] | undefined;
  const desk = mountKnowledgeDesk(
    server,
    deskContext({
      store: backend.kbDesk,
      versions: backend.kbVersions,
      following: versions,
      // Read when first needed: only a draft made before the first publication starts from the files.
      seed: () => (seed ??= readKnowledgeFiles(config.kbDir, linkHostsOf(config)).files),
      linkHosts: linkHostsOf(config),
      settings: { thresholds: thresholdsOf(config), defaultLocale: config.DEFAULT_LOCALE },
      served: () => knowledge,
      values: answerValuesOf(config),
      signals,
      sessions,
      logger,
      defaultLocale: config.DEFAULT_LOCALE,
      evalDir: path.join(PROJECT_ROOT, 'knowledge', 'eval'),
    }),
  );
  lifecycle.onShutdown(() => desk.close());
  mountInsights(server, {
    insights,
    signals,
    sessions,
    keepDays: config.INSIGHTS_DAYS_KEPT,
  });
  lifecycle.onShutdown(sweepHandoffQueue(handoff, config, (error) => backend.outage(error), logger));
  const { records } = backend;
  if (records) metrics.watchRecords({ waiting: () => records.outbox.depth(), writing: () => records.drainer.writing });
  mountOpsRoutes(server, { knowledge: () => knowledge, version: () => versions.serving, metrics, backend, draining: () => lifecycle.draining });

  return {
    server,
    async listen() {
      // Redis down at start-up is no reason not to start: the instance reports not ready and
      // connects when Redis appears. Up, it is connected before the first request arrives.
      if (!(await backend.connected(5000))) logger.warn('shared store not reachable yet: starting anyway, not ready until it is');
      // The database is not waited for: records queue in the outbox until it answers.
      void backend.records?.start();
      // The published version, when there is one, answers the first message.
      await versions.check();
      return lifecycle.listen(config.PORT, config.HOST);
    },
    shutdown: () => lifecycle.shutdown(async () => {
      await backend.kbVersions.close();
      await backend.close();
    }),
  };
}
