import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { MAX_JSON_DEPTH, MAX_USER_ACTIVITY_BYTES, nestsDeeperThan } from '../../inboundActivity';
import type { AddressLimits } from '../../limits/httpLimits';
import type { Logger } from '../../logger';
import type { DirectLineConversation, DirectLineStore } from './store';
import type { DirectLineTokens, TokenClaims } from './tokens';

/**
 * An embedded Direct Line 3.0 service, so the web chat widget works without Azure:
 * `/v3/directline/...` for clients (Web Chat, botframework-directlinejs) and the Bot
 * Connector API `/v3/conversations/...` that the bot's replies come back through — the
 * bot is told `serviceUrl` = this server, so its code is the same as behind Azure.
 */

export interface DirectLineDeps {
  store: DirectLineStore;
  tokens: DirectLineTokens;
  logger: Logger;
  botId: string;
  maxUploadBytes: number;
  /** This server as the bot reaches it (loopback). */
  serviceUrl(): string;
  /**
   * Runs one activity through the bot; replies arrive on the connector routes. `client` is
   * the address it came from, for the limits counted inside the turn.
   */
  deliver(activity: Partial<Activity>, client?: string): Promise<void>;
  /** Per-address limits on new conversations and on activities. */
  limits?: AddressLimits;
}

const PREFIX = '/v3/directline';

/** What a client may post; the service fills in who, where and when. */
const clientActivitySchema = z
  .object({
    type: z.enum(['message', 'event', 'typing']),
    text: z.string().max(20000).optional(),
    textFormat: z.string().max(32).optional(),
    locale: z.string().max(32).optional(),
    name: z.string().max(256).optional(),
    value: z.unknown().optional(),
    channelData: z.record(z.unknown()).optional(),
    attachments: z
      .array(z.object({ contentType: z.string().max(256), contentUrl: z.string().max(2048).optional(), name: z.string().max(512).optional(), content: z.unknown().optional() }))
      .max(10)
      .optional(),
    entities: z.array(z.record(z.unknown())).max(20).optional(),
    from: z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() }).passthrough().optional(),
  })
  .passthrough();

const startBodySchema = z.object({ user: z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() }).optional(), locale: z.string().max(32).optional() }).passthrough();

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string) => new HttpError(status, code, message);

/** Azure requires token user ids to start with "dl_"; keep the same rule. */
function userIdFrom(requested: string | undefined): string {
  return requested && /^dl_[\w-]{1,200}$/.test(requested) ? requested : `dl_${crypto.randomBytes(12).toString('base64url')}`;
}

function newConversationId(): string {
  return crypto.randomBytes(18).toString('base64url');
}

function watermarkOf(req: Request): string | undefined {
  const value: unknown = (req.query as Record<string, unknown> | undefined)?.watermark;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isLoopback(req: Request): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function origin(req: Request, scheme: 'http' | 'ws'): string {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim();
  const secure = forwarded === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;
  const protocol = scheme === 'ws' ? (secure ? 'wss' : 'ws') : secure ? 'https' : 'http';
  return `${protocol}://${req.headers.host ?? 'localhost'}`;
}

export function mountDirectLine(server: Server, deps: DirectLineDeps): void {
  const { store, tokens, logger } = deps;

  const handle =
    (work: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await work(req, res);
      } catch (error) {
        if (error instanceof HttpError) {
          res.send(error.status, { error: { code: error.code, message: error.message } });
          return;
        }
        logger.error({ err: error, route: req.getRoute()?.path }, 'direct line request failed');
        res.send(500, { error: { code: 'ServiceError', message: 'internal error' } });
      }
    };

  /** The caller's credential, required to be the secret or a valid token. */
  function credential(req: Request) {
    const header = req.headers.authorization;
    if (!header) throw fail(401, 'BadArgument', 'missing Authorization header');
    const cred = tokens.check(header);
    if (cred.kind === 'expired') throw fail(403, 'TokenExpired', 'token has expired');
    if (cred.kind === 'invalid') throw fail(403, 'BadArgument', 'invalid token or secret');
    return cred;
  }

  /** The conversation named in the path, if the credential may use it. */
  async function authorizedConversation(req: Request): Promise<DirectLineConversation> {
    const cred = credential(req);
    const id = String(req.params.conversationId ?? '');
    if (cred.kind === 'token' && cred.conv !== id) throw fail(403, 'BadArgument', 'token is not valid for this conversation');
    const conversation = await store.get(id);
    if (!conversation) throw fail(404, 'BadArgument', 'conversation not found');
    return conversation;
  }

  function issued(conversation: DirectLineConversation) {
    return { conversationId: conversation.id, token: tokens.issue({ conv: conversation.id, user: conversation.userId }), expires_in: tokens.ttlSeconds };
  }

  function streamUrl(req: Request, conversation: DirectLineConversation, token: string): string {
    const watermark = watermarkOf(req) ?? '-';
    return `${origin(req, 'ws')}${PREFIX}/conversations/${encodeURIComponent(conversation.id)}/stream?watermark=${encodeURIComponent(watermark)}&t=${encodeURIComponent(token)}`;
  }

  /** Creates the conversation on first use and tells the bot who joined. */
  async function start(claims: TokenClaims, locale: string | undefined, client: string | undefined): Promise<{ conversation: DirectLineConversation; created: boolean }> {
    const conversation: DirectLineConversation = { id: claims.conv, userId: claims.user, createdAt: new Date().toISOString() };
    const created = await store.create(conversation);
    if (created) {
      await deps.deliver({
        type: 'conversationUpdate',
        id: crypto.randomUUID(),
        channelId: 'directline',
        serviceUrl: deps.serviceUrl(),
        conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
        recipient: { id: deps.botId, name: 'Kefu', role: 'bot' },
        from: { id: conversation.userId, role: 'user', name: '' },
        membersAdded: [{ id: deps.botId, name: 'Kefu' }, { id: conversation.userId, name: '' }],
        locale,
        timestamp: new Date(),
      }, client);
    }
    return { conversation: (await store.get(claims.conv)) ?? conversation, created };
  }

  server.post(
    `${PREFIX}/tokens/generate`,
    handle(async (req, res) => {
      if (credential(req).kind !== 'secret') throw fail(403, 'BadArgument', 'tokens/generate needs the secret');
      if (deps.limits && !(await deps.limits.admit(req, res, 'conversations-per-address'))) return;
      const body = startBodySchema.safeParse(req.body ?? {});
      const claims = { conv: newConversationId(), user: userIdFrom(body.success ? body.data.user?.id : undefined) };
      res.send(200, { conversationId: claims.conv, token: tokens.issue(claims), expires_in: tokens.ttlSeconds });
    }),
  );

  server.post(
    `${PREFIX}/tokens/refresh`,
    handle(async (req, res) => {
      const cred = credential(req);
      if (cred.kind !== 'token') throw fail(403, 'BadArgument', 'tokens/refresh needs a token');
      res.send(200, { conversationId: cred.conv, token: tokens.issue({ conv: cred.conv, user: cred.user }), expires_in: tokens.ttlSeconds });
    }),
  );

  server.post(
    `${PREFIX}/conversations`,
    handle(async (req, res) => {
      const cred = credential(req);
      const body = startBodySchema.safeParse(req.body ?? {});
      const requested = body.success ? body.data : {};
      // A token's conversation was counted when the token was given; the secret mints a new one here.
      if (cred.kind !== 'token' && deps.limits && !(await deps.limits.admit(req, res, 'conversations-per-address', requested.locale))) return;
      const claims = cred.kind === 'token' ? { conv: cred.conv, user: cred.user } : { conv: newConversationId(), user: userIdFrom(requested.user?.id) };
      const { conversation, created } = await start(claims, requested.locale, deps.limits?.clientOf(req));
      const grant = issued(conversation);
      res.send(created ? 201 : 200, { ...grant, streamUrl: streamUrl(req, conversation, grant.token) });
    }),
  );

  server.get(
    `${PREFIX}/conversations/:conversationId`,
    handle(async (req, res) => {
      const conversation = await authorizedConversation(req);
      const grant = issued(conversation);
      res.send(200, { ...grant, streamUrl: streamUrl(req, conversation, grant.token) });
    }),
  );

  server.get(
    `${PREFIX}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = await authorizedConversation(req);
      res.send(200, await store.since(conversation.id, watermarkOf(req)));
    }),
  );

  async function receive(conversation: DirectLineConversation, raw: unknown, attachments?: Partial<Activity>['attachments'], client?: string) {
    // Checked before anything is stored: a value the service could not serialise again would break the conversation's reads for good.
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) throw fail(400, 'BadArgument', `invalid activity: nested deeper than ${MAX_JSON_DEPTH} levels`);
    const parsed = clientActivitySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(400, 'BadArgument', `invalid activity: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
    }
    const activity = {
      ...parsed.data,
      ...(attachments ? { attachments } : {}),
      channelId: 'directline',
      serviceUrl: deps.serviceUrl(),
      conversation: { id: conversation.id },
      // The token decides who speaks; a client cannot post as someone else.
      from: { id: conversation.userId, name: parsed.data.from?.name ?? '', role: 'user' },
      recipient: { id: deps.botId, name: 'Kefu', role: 'bot' },
      timestamp: new Date(),
    } as Partial<Activity>;
    const stored = await store.append(conversation.id, activity);
    if (activity.type !== 'typing') await deps.deliver(stored, client);
    return stored;
  }

  server.post(
    `${PREFIX}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = await authorizedConversation(req);
      if ((req.contentLength() ?? 0) > MAX_USER_ACTIVITY_BYTES) throw fail(413, 'MessageSizeTooBig', `activity is larger than ${MAX_USER_ACTIVITY_BYTES} bytes`);
      const locale: unknown = (req.body as { locale?: unknown } | undefined)?.locale;
      if (deps.limits && !(await deps.limits.admit(req, res, 'messages-per-address', locale))) return;
      const stored = await receive(conversation, req.body, undefined, deps.limits?.clientOf(req));
      res.send(200, { id: stored.id });
    }),
  );

  server.post(
    `${PREFIX}/conversations/:conversationId/upload`,
    handle(async (req, res) => {
      const files = (req.files ?? {}) as Record<string, UploadedFile | UploadedFile[]>;
      const all = Object.values(files).flat();
      try {
        const conversation = await authorizedConversation(req);
        if (all.reduce((sum, f) => sum + f.size, 0) > deps.maxUploadBytes) throw fail(413, 'MessageSizeTooBig', `upload is larger than ${deps.maxUploadBytes} bytes`);
        const activityPart = [files.activity].flat()[0];
        const template: unknown = activityPart ? JSON.parse(await fs.promises.readFile(activityPart.path, 'utf8')) : { type: 'message' };
        const attachments: NonNullable<Partial<Activity>['attachments']> = [];
        for (const file of all.filter((f) => f !== activityPart)) {
          const id = crypto.randomBytes(18).toString('base64url');
          const contentType = file.type || 'application/octet-stream';
          await store.putAttachment(id, { contentType, name: file.name ?? 'file', data: await fs.promises.readFile(file.path) });
          attachments.push({ contentType, name: file.name ?? 'file', contentUrl: `${origin(req, 'http')}${PREFIX}/attachments/${id}` });
        }
        const stored = await receive(conversation, template, attachments);
        res.send(200, { id: stored.id });
      } finally {
        await Promise.all(all.map((f) => fs.promises.rm(f.path, { force: true })));
      }
    }),
  );

  // Attachment URLs are unguessable capabilities, as Azure's are: the bot and the page fetch them plainly.
  server.get(
    `${PREFIX}/attachments/:attachmentId`,
    handle(async (req, res) => {
      const attachment = await store.getAttachment(String(req.params.attachmentId ?? ''));
      if (!attachment) throw fail(404, 'NotFound', 'attachment not found');
      res.setHeader('content-type', attachment.contentType);
      res.setHeader('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(attachment.name)}`);
      res.setHeader('x-content-type-options', 'nosniff');
      res.sendRaw(200, attachment.data);
    }),
  );

  // Bot Connector API: where the bot's replies arrive. Only the bot itself, on loopback, may call it.
  const fromBot = handle(async (req, res) => {
    if (!isLoopback(req)) throw fail(403, 'Forbidden', 'the connector endpoint only accepts the bot on this machine');
    const id = String(req.params.conversationId ?? '');
    if (!(await store.get(id))) throw fail(404, 'BadArgument', 'conversation not found');
    const body = z.object({ type: z.string().min(1) }).passthrough().safeParse(req.body);
    if (!body.success) throw fail(400, 'BadArgument', 'invalid activity');
    const stored = await store.append(id, { ...(body.data as Partial<Activity>), timestamp: new Date() });
    res.send(200, { id: stored.id });
  });
  server.post('/v3/conversations/:conversationId/activities', fromBot);
  server.post('/v3/conversations/:conversationId/activities/:activityId', fromBot);
}

/** formidable 1.x's file record, as restify's multipart parser leaves it on `req.files`. */
interface UploadedFile {
  path: string;
  size: number;
  name?: string;
  type?: string;
}
