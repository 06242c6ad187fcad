import path from 'node:path';
import type { Next, Request, Response, Server } from 'restify';
import { z } from 'zod';
import { clientAddress, isLocalRequest } from '../clientAddress';
import type { Logger } from '../logger';
import { decodeSegment } from '../http/requestTarget';
import { PROJECT_ROOT } from '../projectRoot';
import { mountStaticAssets } from '../staticAssets';
import { mountSharedUi, staffPageCsp } from '../ui/staffPages';
import { isLead, type AgentDirectory, type SignedInAgent } from './agents';
import type { CannedReply } from './cannedReplies';
import type { TranscriptEntry } from '../../domain/handoff';
import type { ConsoleBus } from './store';
import type { HandoffService, Refusal, Result } from './service';
import type { AgentSessions } from './sessions';
import { SignIn, type SignInOutcome } from './signIn';
import { parseHistoryQuery } from './history';
import type { StaffAction, StaffActions } from '../records/staffActions';

/**
 * The agent console: the page at /agent and the JSON API under /api/agent it calls. Every
 * API but sign-in needs a valid agent session (cookie); writes to a chat another agent
 * claimed are refused (403). Updates reach open consoles as server-sent events.
 */
export interface AgentConsoleDeps {
  service: HandoffService;
  bus: ConsoleBus;
  agents: AgentDirectory;
  /** The API answers only this machine (the demo agents, whose passwords are public). */
  localOnly: boolean;
  sessions: AgentSessions;
  canned: CannedReply[];
  logger: Logger;
  /** Cookies marked Secure (behind HTTPS in production). */
  secureCookies: boolean;
  /** The header a trusted reverse proxy writes the client's address in (TRUSTED_PROXY_HEADER). */
  trustedProxyHeader: string | undefined;
  metrics?: { signIn(outcome: SignInOutcome['kind']): void };
  /**
   * This server's path of a file a user sent, when the URL is one of its own Direct Line's
   * attachments (served sandboxed); undefined for any other URL, which agents see as text.
   */
  attachmentLink(url: string): string | undefined;
  /** The audit log of what agents do (ids only); absent: not kept. */
  staff?: Pick<StaffActions, 'record'>;
}

const COOKIE = 'kefu_agent';
/** Marks a browser where an agent signed in before; sent only to sign-in. */
const DEVICE_COOKIE = 'kefu_device';
const SIGN_IN_PATH = '/api/agent/session';
const PUBLIC_DIR = path.join(PROJECT_ROOT, 'bot', 'handoff', 'console');
const HEARTBEAT_MS = 15_000;
/** The APIs behind an agent's session: the console's and the knowledge desk's, under one CSRF/localOnly rule. */
const API_PREFIXES = ['/api/agent/', '/api/knowledge/'] as const;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What the console's fetch sends on every call; a cross-site form or link cannot send it. */
export const CONSOLE_HEADER = 'x-kefu-agent';

const signInSchema = z.object({ id: z.string().min(1).max(64), password: z.string().min(1).max(256) });
/** What an agent may send or note, from the console or from Teams. */
export const textSchema = z.object({ text: z.string().trim().min(1, 'text is empty').max(2000, 'text is longer than 2000 characters') });

const historySchema = z.object({ q: z.string().trim().min(1, 'q is empty').max(64, 'q is longer than 64 characters') });

const STATUS_OF: Record<Refusal, number> = { 'not-found': 404, taken: 403, 'not-yours': 403, closed: 409, 'at-limit': 409 };
const MESSAGE_OF: Record<Refusal, string> = {
  'not-found': 'no such chat',
  taken: 'another agent has claimed this chat',
  'not-yours': 'this chat is claimed by another agent',
  closed: 'this chat is no longer open',
  'at-limit': 'you have as many chats as you may have at once (AGENT_MAX_CHATS); resolve one first',
};

/** The agent session's token (cookie `kefu_agent`), or another cookie of ours. */
export function cookieOf(req: Request, cookie = COOKIE): string | undefined {
  const header = String(req.headers.cookie ?? '');
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) return decodeSegment(value.join('='));
  }
  return undefined;
}

/**
 * Why an agent API request may not go on: with the demo agents, anyone but this machine; a
 * state-changing request a cross-site page could have made (neither JSON, which needs a CORS
 * preflight we never grant, nor the console's header) — on top of the SameSite cookie.
 */
function refusal(req: Request, localOnly: boolean, trustedProxyHeader: string | undefined): string | undefined {
  if (localOnly && !isLocalRequest(req, trustedProxyHeader)) return 'the demo agents work only on this machine; set AGENTS_FILE to sign in from elsewhere';
  if (!READS.has(req.method ?? '') && !req.is('application/json') && req.header(CONSOLE_HEADER) !== '1') {
    return `state-changing requests need Content-Type: application/json or ${CONSOLE_HEADER}: 1`;
  }
  return undefined;
}

function send<T>(res: Response, result: Result<T>, ok: (value: T) => unknown = (value) => value): void {
  if (result.ok) res.send(200, ok(result.value));
  else res.send(STATUS_OF[result.refusal], { error: MESSAGE_OF[result.refusal], refusal: result.refusal });
}

/** The console's scripts, each a part with one job (index.html loads them in this order). */
const CONSOLE_SCRIPTS = ['consoleText.js', 'console.js', 'chatView.js', 'composer.js', 'workday.js'] as const;

export function mountAgentConsole(server: Server, deps: AgentConsoleDeps): { close(): void } {
  const { service, sessions, logger } = deps;
  const streams = new Set<Response>();
  const signIn = new SignIn(deps.agents, sessions);

  // Runs after routing for every route, so each /api/agent and /api/knowledge route, however
  // its URL was spelled and whenever it was added (the desk's are mounted after), passes here first.
  server.use((req: Request, res: Response, next: Next) => {
    const route = req.getRoute()?.path;
    if (typeof route !== 'string' || !API_PREFIXES.some((prefix) => route.startsWith(prefix))) return next();
    const problem = refusal(req, deps.localOnly, deps.trustedProxyHeader);
    if (!problem) return next();
    res.send(403, { error: problem });
    return next(false);
  });

  mountStaticAssets(
    server,
    {
      '/agent': { file: path.join(PUBLIC_DIR, 'index.html'), type: 'text/html; charset=utf-8', maxAge: 0 },
      ...Object.fromEntries(CONSOLE_SCRIPTS.map((name) => [`/agent/${name}`, { file: path.join(PUBLIC_DIR, name), type: 'text/javascript; charset=utf-8', maxAge: 0 }])),
      '/agent/console.css': { file: path.join(PUBLIC_DIR, 'console.css'), type: 'text/css; charset=utf-8', maxAge: 0 },
    },
    // Nothing but our own script runs on the page, whatever a user or agent manages to type.
    staffPageCsp(),
  );
  mountSharedUi(server);

  const withLinks = (entry: TranscriptEntry) =>
    entry.attachments ? { ...entry, attachments: entry.attachments.map((file) => ({ ...file, href: deps.attachmentLink(file.url) })) } : entry;

  /** An action that went through goes to the audit log (not awaited: the agent's answer does not wait on it). */
  const audited = <T>(result: Result<T>, agent: SignedInAgent, action: StaffAction, target: string): Result<T> => {
    if (result.ok) void deps.staff?.record(agent.id, action, target);
    return result;
  };

  /** The signed-in agent, or a 401 already sent. */
  const agentOf = async (req: Request, res: Response): Promise<SignedInAgent | undefined> => {
    res.setHeader('cache-control', 'no-store');
    const agent = await sessions.agentOf(cookieOf(req));
    if (!agent) res.send(401, { error: 'sign in first' });
    return agent;
  };

  /** Writes take JSON only: a cross-site form cannot post it, on top of the SameSite cookie. */
  const jsonBody = <T>(req: Request, res: Response, schema: z.ZodType<T>): T | undefined => {
    if (!req.is('application/json')) {
      res.send(415, { error: 'expected application/json' });
      return undefined;
    }
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      res.send(400, { error: parsed.error.issues[0]?.message ?? 'invalid body' });
      return undefined;
    }
    return parsed.data;
  };

  const setCookie = (res: Response, value: string, maxAge: number, name = COOKIE, cookiePath = '/') => {
    const secure = deps.secureCookies ? '; Secure' : '';
    const previous = res.getHeader('set-cookie');
    const cookies = previous === undefined ? [] : [previous].flat().map(String);
    res.setHeader('set-cookie', [...cookies, `${name}=${encodeURIComponent(value)}; HttpOnly; SameSite=Strict; Path=${cookiePath}; Max-Age=${maxAge}${secure}`]);
  };

  server.post(SIGN_IN_PATH, async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const body = jsonBody(req, res, signInSchema);
    if (!body) return;
    const outcome = await signIn.attempt({ ...body, address: clientAddress(req, deps.trustedProxyHeader), deviceToken: cookieOf(req, DEVICE_COOKIE) });
    deps.metrics?.signIn(outcome.kind);
    switch (outcome.kind) {
      case 'throttled':
        res.setHeader('retry-after', String(outcome.retryAfterS));
        res.send(429, { error: `too many failed sign-ins; try again in ${outcome.retryAfterS} s`, retryAfterS: outcome.retryAfterS });
        return;
      case 'busy':
        res.setHeader('retry-after', String(outcome.retryAfterS));
        res.send(503, { error: 'too many sign-ins at once; try again in a moment', retryAfterS: outcome.retryAfterS });
        return;
      case 'wrong':
        logger.warn({ agent: body.id.trim().toLowerCase() }, 'agent sign-in failed');
        res.send(401, { error: 'wrong name or password' });
        return;
      case 'ok':
        if (outcome.newDevice) setCookie(res, outcome.newDevice, sessions.maxDeviceAgeSeconds, DEVICE_COOKIE, SIGN_IN_PATH);
        setCookie(res, await sessions.open(outcome.agent), sessions.maxAgeSeconds);
        logger.info({ agent: outcome.agent.id }, 'agent signed in');
        res.send(200, { agent: outcome.agent });
    }
  });

  server.del(SIGN_IN_PATH, async (req: Request, res: Response) => {
    const agent = await sessions.agentOf(cookieOf(req));
    await sessions.close(cookieOf(req));
    if (agent) await service.agentOffline(agent);
    setCookie(res, '', 0);
    res.send(204);
  });

  // Whether this browser is signed in, answered 200 either way: the sign-in page loads without a failed request.
  server.get(SIGN_IN_PATH, async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const agent = await sessions.agentOf(cookieOf(req));
    res.send(200, agent ? { agent, canned: deps.canned } : { agent: null });
  });

  server.get('/api/agent/me', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (agent) res.send(200, { agent, canned: deps.canned });
  });

  server.get('/api/agent/board', async (req: Request, res: Response) => {
    if (await agentOf(req, res)) res.send(200, await service.board());
  });

  server.get('/api/agent/chats/:id', async (req: Request, res: Response) => {
    if (!(await agentOf(req, res))) return;
    const chat = await service.chat(String(req.params.id));
    if (chat) res.send(200, { ...chat, transcript: chat.transcript.map(withLinks) });
    else res.send(404, { error: MESSAGE_OF['not-found'] });
  });

  server.post('/api/agent/chats/:id/claim', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (agent) send(res, audited(await service.claim(String(req.params.id), agent), agent, 'chat.claim', String(req.params.id)), () => ({ claimed: true }));
  });

  server.post('/api/agent/chats/:id/messages', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (!agent) return;
    const body = jsonBody(req, res, textSchema);
    if (!body) return;
    try {
      send(res, await service.reply(String(req.params.id), agent, body.text), () => ({ sent: true }));
    } catch (error) {
      logger.error({ err: error }, 'agent message not delivered');
      res.send(502, { error: 'the message could not be delivered to the user' });
    }
  });

  // The console calls this while the agent types (throttled here too): the user sees a typing indicator.
  server.post('/api/agent/chats/:id/typing', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (agent) send(res, await service.agentTyping(String(req.params.id), agent));
  });

  server.post('/api/agent/chats/:id/notes', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (!agent) return;
    const body = jsonBody(req, res, textSchema);
    if (body) send(res, audited(await service.note(String(req.params.id), agent, body.text), agent, 'chat.note', String(req.params.id)));
  });

  server.post('/api/agent/chats/:id/resolve', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (agent) send(res, audited(await service.resolve(String(req.params.id), agent), agent, 'chat.resolve', String(req.params.id)), () => ({ resolved: true }));
  });

  server.post('/api/agent/tickets/:id/close', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (agent) send(res, audited(await service.closeTicket(String(req.params.id), agent), agent, 'ticket.close', String(req.params.id)), () => ({ closed: true }));
  });

  server.get('/api/agent/history', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (!agent) return;
    const query = historySchema.safeParse(req.query ?? {});
    const found = query.success ? await service.history(query.data.q) : undefined;
    if (!found || !query.success) {
      res.send(400, { error: 'search by a chat id, a case id (T-20261123-7K3Q) or the last four digits of the number' });
      return;
    }
    // What was searched by, never the digits or id themselves.
    void deps.staff?.record(agent.id, 'history.search', undefined, { by: parseHistoryQuery(query.data.q)?.kind ?? 'unknown', chats: found.chats.length, tickets: found.tickets.length });
    res.send(200, { chats: found.chats.map((chat) => ({ ...chat, transcript: chat.transcript.map(withLinks) })), tickets: found.tickets });
  });

  // The whole team's load and day: a lead's (AGENTS_FILE role), not every agent's.
  server.get('/api/agent/supervisor', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (!agent) return;
    if (!isLead(agent)) return void res.send(403, { error: 'only a lead (role: lead in AGENTS_FILE) sees the supervisor figures' });
    const figures = await service.supervisor();
    // Presence knows ids only: an idle agent is named as a busy one is.
    res.send(200, { ...figures, agents: figures.agents.map((a) => ({ ...a, name: a.name ?? deps.agents.nameOf(a.id) })) });
  });

  // Server-sent events: "board" when the queue, chats or tickets change, "chat" with an id
  // when a chat's transcript or notes do, "typing" with an id while its user types. The page refetches what it shows.
  server.get('/api/agent/events', async (req: Request, res: Response) => {
    const agent = await agentOf(req, res);
    if (!agent) return;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = deps.bus.subscribe((event) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
    const token = cookieOf(req);
    const beat = setInterval(() => {
      void (async () => {
        // A session that expired while the page stayed open ends its stream; the page signs in again.
        if (!(await sessions.agentOf(token))) return res.end();
        await service.agentOnline(agent);
        res.write(': beat\n\n');
      })().catch((error: unknown) => logger.warn({ err: error }, 'console heartbeat failed'));
    }, HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    });
    await service.agentOnline(agent);
    await deps.bus.publish({ type: 'board' });
  });

  return {
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
