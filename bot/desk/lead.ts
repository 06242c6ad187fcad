import type { Request, Response } from 'restify';
import { isLead, type SignedInAgent } from '../handoff/agents';
import { cookieOf } from '../handoff/routes';
import type { AgentSessions } from '../handoff/sessions';
import type { Logger } from '../logger';
import type { Reply } from './drafts';
import type { StaffAction, StaffActions } from '../records/staffActions';

export const NOT_A_LEAD = 'only leads (role: lead in AGENTS_FILE) can use the knowledge desk';

/** The signed-in lead, or a 401 (no session) / 403 (an agent who is not a lead) already sent. */
export async function leadOf(sessions: AgentSessions, req: Request, res: Response): Promise<SignedInAgent | undefined> {
  res.setHeader('cache-control', 'no-store');
  const agent = await sessions.agentOf(cookieOf(req));
  if (!agent) res.send(401, { error: 'sign in first' });
  else if (!isLead(agent)) res.send(403, { error: NOT_A_LEAD });
  else return agent;
  return undefined;
}

const READS = new Set(['GET', 'HEAD']);

/**
 * A knowledge-desk route: the lead checked first, the handler's reply sent (with its ETag),
 * and every write that went through logged with the lead's id.
 */
export type LeadHandler = (req: Request, lead: SignedInAgent) => Promise<Reply>;
/** A route's handler wrapped by `asLead`; `changes: false` for a POST that changes nothing (try, evaluate), so it is not logged as a write. */
export type LeadRoute = (handler: LeadHandler, options?: { changes?: boolean }) => (req: Request, res: Response) => Promise<void>;

export const asLead =
  (sessions: AgentSessions, logger: Logger, staff?: Pick<StaffActions, 'record'>): LeadRoute =>
  (handler, options = {}) =>
  async (req, res) => {
    const lead = await leadOf(sessions, req, res);
    if (!lead) return;
    const reply = await handler(req, lead);
    if (reply.etag) res.setHeader('etag', `"${reply.etag}"`);
    if (reply.status === 204) res.send(204);
    else res.send(reply.status, reply.body);
    if (!(options.changes ?? !READS.has(req.method ?? '')) || reply.status >= 400) return;
    const params = req.params as Record<string, string | undefined>;
    const entry = params.locale && params.id ? `${params.locale}/${params.id}` : entryIn(reply.body);
    const route = req.getRoute()?.path;
    logger.info({ lead: lead.id, route: `${req.method} ${route ?? req.url}`, ...(entry ? { entry } : {}), ...(params.group ? { group: params.group } : {}) }, 'knowledge desk change');
    void staff?.record(lead.id, deskActionOf(String(route ?? '')), entry ?? versionIn(reply.body) ?? params.group);
  };

/** The audit log's name for a desk write: publishing and rolling back by name, every other write edits the draft. */
export function deskActionOf(route: string): StaffAction {
  if (route === '/api/knowledge/publish') return 'kb.publish';
  if (route.endsWith('/rollback')) return 'kb.rollback';
  if (route.startsWith('/api/knowledge/unanswered/')) return 'kb.unanswered.resolve';
  return 'kb.draft.save';
}

/** The entry a reply carries (`{entry, etag}` or `{resolved, entry: {entry, etag}}`), as locale/id. */
function entryIn(body: unknown): string | undefined {
  const outer = typeof body === 'object' && body !== null && 'entry' in body ? body.entry : undefined;
  const entry = typeof outer === 'object' && outer !== null && 'entry' in outer ? outer.entry : outer;
  if (typeof entry !== 'object' || entry === null || !('id' in entry) || !('locale' in entry)) return undefined;
  return `${String(entry.locale)}/${String(entry.id)}`;
}

/** The version a publish or rollback made (`{version: {number}}`), as its number. */
function versionIn(body: unknown): string | undefined {
  const version = typeof body === 'object' && body !== null && 'version' in body ? body.version : undefined;
  return typeof version === 'object' && version !== null && 'number' in version ? `v${String(version.number)}` : undefined;
}

/** A write's body: JSON only (a cross-site form cannot post it), else 415. */
export function jsonOf(req: Request): { body: unknown } | { refuse: Reply } {
  if (!req.is('application/json')) return { refuse: { status: 415, body: { error: 'expected application/json' } } };
  return { body: req.body ?? {} };
}
