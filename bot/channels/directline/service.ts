import crypto from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { isLocalRequest } from '../../clientAddress';
import { sizeLabel } from '../../../dialogs/flows/flowMessages';
import { hashId, type Logger } from '../../logger';
import { ACCEPTED_TYPES, isInlineSafe, sniffType } from './fileTypes';
import { maxUploadBody, readUpload, UploadRejected, type UploadLimits } from './multipart';
import { attachmentBase, attachmentUrl, connectionOrigin, webSocketOrigin } from './publicUrl';
import { refusedUpload, UPLOAD_REFUSED_TYPE } from '../uploadNotice';
import { MAX_JSON_DEPTH, MAX_USER_ACTIVITY_BYTES, nestsDeeperThan } from '../../inboundActivity';
import type { AddressLimits } from '../../limits/httpLimits';
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
  /** PUBLIC_URL: where users and agents reach this server; links are made from it. */
  publicUrl: string | undefined;
  /** This server as the bot reaches it (loopback). */
  serviceUrl(): string;
  /**
   * Runs one activity through the bot; replies arrive on the connector routes. `client` is
   * the address it came from, for the limits counted inside the turn.
   */
  deliver(activity: Partial<Activity>, client?: string): Promise<void>;
  /** Per-address limits on new conversations and on activities. */
  limits?: AddressLimits;
  /** TRUSTED_PROXY_HEADER: decides, with the socket, whether a connector call comes from this machine. */
  trustedProxyHeader: string | undefined;
}

const MAX_FILES_PER_UPLOAD = 10;
const PREFIX = '/v3/directline';
/** The one route that takes multipart bodies; it reads them itself (restify's body parsers never see them). */
export const UPLOAD_ROUTE = `${PREFIX}/conversations/:conversationId/upload`;

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
    /** More for the client to act on, e.g. the limit that was passed. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const fail = (status: number, code: string, message: string, details?: Record<string, unknown>) => new HttpError(status, code, message, details);

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

export function mountDirectLine(server: Server, deps: DirectLineDeps): void {
  const { store, tokens, logger } = deps;

  const handle =
    (work: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await work(req, res);
      } catch (error) {
        // Anything else is the server's one failure path (logged there; 503 in an outage).
        if (!(error instanceof HttpError)) throw error;
        res.send(error.status, { error: { code: error.code, message: error.message, ...error.details } });
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
    return `${webSocketOrigin(deps.publicUrl ?? connectionOrigin(req))}${PREFIX}/conversations/${encodeURIComponent(conversation.id)}/stream?watermark=${encodeURIComponent(watermark)}&t=${encodeURIComponent(token)}`;
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

  function clientActivity(raw: unknown): z.infer<typeof clientActivitySchema> {
    // Checked before anything is stored: a value the service could not serialise again would break the conversation's reads for good.
    if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) throw fail(400, 'BadArgument', `invalid activity: nested deeper than ${MAX_JSON_DEPTH} levels`);
    const parsed = clientActivitySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(400, 'BadArgument', `invalid activity: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
    }
    return parsed.data;
  }

  async function receive(conversation: DirectLineConversation, posted: z.infer<typeof clientActivitySchema>, attachments?: Partial<Activity>['attachments'], client?: string) {
    // Only this service says a file was refused; a client's own claim is dropped.
    const kept = attachments ?? posted.attachments?.filter((attachment) => attachment.contentType !== UPLOAD_REFUSED_TYPE);
    const activity = {
      ...posted,
      ...(kept ? { attachments: kept } : {}),
      channelId: 'directline',
      serviceUrl: deps.serviceUrl(),
      conversation: { id: conversation.id },
      // The token decides who speaks; a client cannot post as someone else.
      from: { id: conversation.userId, name: posted.from?.name ?? '', role: 'user' },
      recipient: { id: deps.botId, name: 'Kefu', role: 'bot' },
      timestamp: new Date(),
    } as Partial<Activity>;
    const stored = await store.append(conversation.id, activity);
    // Typing reaches the bot too: an agent who has the chat sees the user typing.
    await deps.deliver(stored, client);
    return stored;
  }

  server.post(
    `${PREFIX}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = await authorizedConversation(req);
      if ((req.contentLength() ?? 0) > MAX_USER_ACTIVITY_BYTES) throw fail(413, 'MessageSizeTooBig', `activity is larger than ${MAX_USER_ACTIVITY_BYTES} bytes`);
      const locale: unknown = (req.body as { locale?: unknown } | undefined)?.locale;
      if (deps.limits && !(await deps.limits.admit(req, res, 'messages-per-address', locale))) return;
      const stored = await receive(conversation, clientActivity(req.body), undefined, deps.limits?.clientOf(req));
      res.send(200, { id: stored.id });
    }),
  );

  const uploadLimits: UploadLimits = { maxBytes: deps.maxUploadBytes, maxActivityBytes: MAX_USER_ACTIVITY_BYTES, maxFiles: MAX_FILES_PER_UPLOAD };
  const limitDetails = { maxBytes: deps.maxUploadBytes, accepted: ACCEPTED_TYPES };
  const tooLarge = () => fail(413, 'MessageSizeTooBig', `upload is larger than the limit of ${sizeLabel(deps.maxUploadBytes)} (${deps.maxUploadBytes} bytes)`, limitDetails);
  /** Links to files are made from configuration, so what the uploader's request says of its host never lands in a transcript. */
  const fileBase = () => attachmentBase(deps.publicUrl, deps.serviceUrl());

  /**
   * The upload as read; over the limit, its activity part alone when that came whole first
   * (Web Chat sends it first), the files left unread and unkept.
   */
  const readLimited = (req: Request, limits: UploadLimits) =>
    readUpload(req, limits).then(
      (upload) => ({ ...upload, overLimit: false }),
      (error: unknown) => {
        if (!(error instanceof UploadRejected)) throw error;
        if (error.problem !== 'too-large') throw fail(400, 'BadArgument', error.message);
        if (error.activity === undefined) throw tooLarge();
        return { activity: error.activity, files: [], overLimit: true };
      },
    );

  /** The files a refused message said it carried, by name only: what the user's bubble shows in their place. */
  const refusedFiles = (posted: z.infer<typeof clientActivitySchema>) =>
    (posted.attachments?.length ? posted.attachments : [{ name: undefined }]).map((attachment) => refusedUpload(fileName(attachment.name ?? '')));

  function activityPart(raw: Buffer | undefined): unknown {
    if (raw === undefined) return { type: 'message' };
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      throw fail(400, 'BadArgument', 'the activity part is not JSON');
    }
  }

  server.post(
    UPLOAD_ROUTE,
    handle(async (req, res) => {
      // Who asks and how much they say they send are settled before a byte of the body is read.
      const conversation = await authorizedConversation(req);
      // Declared over the limit: only the activity part is read (up to its own cap), never a file.
      const declaredTooLarge = (req.contentLength() ?? 0) > maxUploadBody(uploadLimits);
      if (deps.limits && !(await deps.limits.admit(req, res, 'messages-per-address'))) return;
      const upload = await readLimited(req, declaredTooLarge ? { ...uploadLimits, maxBytes: 0 } : uploadLimits);
      const posted = clientActivity(activityPart(upload.activity));
      if (upload.overLimit) {
        // Accepted as a message the bot answers with the limit; a 413 would leave the widget offering a retry that cannot succeed.
        logger.info({ conversation: hashId(conversation.id), declared: req.contentLength() ?? null }, 'upload over the limit: the files are dropped, the bot tells the user');
        const stored = await receive(conversation, posted, refusedFiles(posted), deps.limits?.clientOf(req));
        res.send(200, { id: stored.id });
        return;
      }
      const files = upload.files.map((file) => ({ ...file, type: sniffType(file.data) }));
      const refused = files.find((file) => file.type === undefined);
      if (refused) {
        logger.info({ conversation: hashId(conversation.id), head: refused.data.subarray(0, 8).toString('hex') }, 'upload refused: not an accepted file type');
        throw fail(415, 'UnsupportedMediaType', `only images (PNG, JPEG, GIF, WebP) and PDF files are accepted, judged by their content; "${fileName(refused.name)}" is none of them`, limitDetails);
      }
      const attachments: NonNullable<Partial<Activity>['attachments']> = [];
      for (const file of files) {
        const id = crypto.randomBytes(18).toString('base64url');
        const contentType = file.type ?? 'application/octet-stream';
        const name = fileName(file.name);
        if (!(await store.putAttachment(conversation.id, id, { contentType, name, data: file.data, sniffed: true }))) {
          throw fail(413, 'UploadQuotaExceeded', 'this conversation has used its upload quota', limitDetails);
        }
        attachments.push({ contentType, name, contentUrl: attachmentUrl(fileBase(), id) });
      }
      const stored = await receive(conversation, posted, attachments, deps.limits?.clientOf(req));
      res.send(200, { id: stored.id });
    }),
  );

  // Attachment URLs are unguessable capabilities, as Azure's are: the bot and the page fetch them plainly.
  // They are served on the agent console's origin, so nothing in them may run: only types sniffed at
  // upload are shown inline (images), anything else is a download (a PDF keeps its sniffed type, for
  // the agent's own reader), and the document is sandboxed either way.
  server.get(
    `${PREFIX}/attachments/:attachmentId`,
    handle(async (req, res) => {
      const attachment = await store.getAttachment(String(req.params.attachmentId ?? ''));
      if (!attachment) throw fail(404, 'NotFound', 'attachment not found');
      const sniffed = attachment.sniffed && (ACCEPTED_TYPES as readonly string[]).includes(attachment.contentType);
      const inline = sniffed && isInlineSafe(attachment.contentType);
      res.setHeader('content-type', sniffed ? attachment.contentType : 'application/octet-stream');
      res.setHeader('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(attachment.name)}`);
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('content-security-policy', "default-src 'none'; sandbox");
      res.sendRaw(200, attachment.data);
    }),
  );

  // Bot Connector API: where the bot's replies arrive. Only the bot itself, on loopback, may call it.
  const fromBot = handle(async (req, res) => {
    if (!isLocalRequest(req, deps.trustedProxyHeader)) throw fail(403, 'Forbidden', 'the connector endpoint only accepts the bot on this machine');
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

/** A file name as the uploader gave it, without control characters and not overly long; only ever shown as text. */
function fileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean || 'file';
}
