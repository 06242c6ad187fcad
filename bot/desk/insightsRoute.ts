import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { isLocalRequest } from '../clientAddress';
import { isLead, type SignedInAgent } from '../handoff/agents';
import { mountStaticAssets } from '../staticAssets';
import type { KbSignalLog } from '../storage/kbSignalLog';
import { NOT_A_LEAD } from './lead';
import { insightsDays, topUnanswered, type Insights, type InsightsRecorder } from './insights';

export interface InsightsRouteDeps {
  insights: Pick<InsightsRecorder, 'read'>;
  /** Where the questions that fell back are (masked when they were stored). */
  signals: Pick<KbSignalLog, 'list'>;
  /** The agent the request's session cookie belongs to, as the console reads it. */
  agentOf(req: Request): Promise<SignedInAgent | undefined>;
  /** The demo staff (public passwords) answer only this machine. */
  localOnly: boolean;
  trustedProxyHeader: string | undefined;
  /** INSIGHTS_DAYS_KEPT: more days than are kept cannot be asked for. */
  keepDays: number;
  now?: () => number;
}

const DAY_MS = 86_400_000;
/** Chart.js's UMD build: one file without imports, which sets `globalThis.Chart`. */
const CHART_BUNDLE = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');

/**
 * GET /api/knowledge/insights?days=30 for leads (401 without a session, 403 for an agent),
 * and the chart library the Insights tab draws with, served from node_modules.
 */
export function mountInsights(server: Server, deps: InsightsRouteDeps): void {
  const now = deps.now ?? Date.now;
  const query = z.object({ days: z.coerce.number().int().min(1).max(deps.keepDays).default(30) });

  mountStaticAssets(server, { '/knowledge/vendor/chart.umd.js': { file: CHART_BUNDLE, type: 'text/javascript; charset=utf-8', maxAge: 3600 } });

  server.get('/api/knowledge/insights', async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    if (deps.localOnly && !isLocalRequest(req, deps.trustedProxyHeader)) {
      res.send(403, { error: 'the demo staff work only on this machine; set AGENTS_FILE to sign in from elsewhere' });
      return;
    }
    const agent = await deps.agentOf(req);
    if (!agent) {
      res.send(401, { error: 'sign in first' });
      return;
    }
    if (!isLead(agent)) {
      res.send(403, { error: NOT_A_LEAD });
      return;
    }
    const parsed = query.safeParse(req.query ?? {});
    if (!parsed.success) {
      res.send(400, { error: `days must be a whole number from 1 to ${deps.keepDays}` });
      return;
    }
    const at = now();
    const [days, signals] = await Promise.all([insightsDays(deps.insights, parsed.data.days, at), deps.signals.list()]);
    const body: Insights = { days, topUnanswered: topUnanswered(signals, at - parsed.data.days * DAY_MS) };
    res.send(200, body);
  });
}
