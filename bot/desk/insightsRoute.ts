import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { AgentSessions } from '../handoff/sessions';
import { mountStaticAssets } from '../staticAssets';
import type { KbSignalLog } from '../storage/kbSignalLog';
import { leadOf } from './lead';
import { insightsDays, topUnanswered, type Insights, type InsightsRecorder } from './insights';

export interface InsightsRouteDeps {
  insights: Pick<InsightsRecorder, 'read'>;
  /** Where the questions that fell back are (masked when they were stored). */
  signals: Pick<KbSignalLog, 'list'>;
  sessions: AgentSessions;
  /** INSIGHTS_DAYS_KEPT: more days than are kept cannot be asked for. */
  keepDays: number;
  now?: () => number;
}

const DAY_MS = 86_400_000;
/** Chart.js's UMD build: one file without imports, which sets `globalThis.Chart`. */
const CHART_BUNDLE = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');

/**
 * GET /api/knowledge/insights?days=30 for leads (401 without a session, 403 for an agent; the
 * staff APIs' middleware keeps the demo staff to this machine), and the chart library the Insights tab draws with, served from node_modules.
 */
export function mountInsights(server: Server, deps: InsightsRouteDeps): void {
  const now = deps.now ?? Date.now;
  const query = z.object({ days: z.coerce.number().int().min(1).max(deps.keepDays).default(30) });

  mountStaticAssets(server, { '/knowledge/vendor/chart.umd.js': { file: CHART_BUNDLE, type: 'text/javascript; charset=utf-8', maxAge: 3600 } });

  server.get('/api/knowledge/insights', async (req: Request, res: Response) => {
    if (!(await leadOf(deps.sessions, req, res))) return;
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
