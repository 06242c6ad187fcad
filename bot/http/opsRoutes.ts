import type { Request, Response, Server } from 'restify';
import type { Knowledge } from '../../knowledge/index';
import { countKnowledge } from '../../knowledge/counts';
import type { Metrics } from '../metrics';
import type { Backend } from '../storage/backend';

export interface OpsDeps {
  /** The knowledge base now (it is swapped whole on reload). */
  knowledge(): Knowledge;
  /** The published version served (0 while the seed files are): a script sees when a publication reached this instance. */
  version(): number;
  metrics: Metrics;
  backend: Pick<Backend, 'kind' | 'ready' | 'records'>;
  /** True while shutting down. */
  draining(): boolean;
}

/** The operator's routes: liveness, readiness for the load balancer, Prometheus metrics. */
export function mountOpsRoutes(server: Server, { knowledge, version, metrics, backend, draining }: OpsDeps): void {
  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', version: version(), ...countKnowledge(knowledge().kb) });
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.sendRaw(200, await metrics.registry.metrics());
  });

  // Readiness: the knowledge base is loaded and the shared store answers. The database is
  // reported but does not decide it: users are served while it is away (records wait in the
  // outbox), and taking every instance out of the load balancer would serve no one.
  server.get('/readyz', async (_req: Request, res: Response) => {
    const counts = countKnowledge(knowledge().kb);
    const [storeUp, database] = await Promise.all([backend.ready(), databaseState(backend.records)]);
    const store = storeUp ? 'ok' : 'unreachable';
    const ready = counts.answers > 0 && store === 'ok' && !draining();
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', entries: counts.entries, answers: counts.answers, store: `${backend.kind}: ${store}`, ...database });
  });
}

/** The database's state and the records waiting for it; nothing without DATABASE_URL. */
async function databaseState(records: Backend['records']): Promise<{ database?: 'ok' | 'unreachable'; outbox?: number }> {
  if (!records) return {};
  const [up, waiting] = await Promise.all([records.ready(), records.outbox.depth().catch(() => undefined)]);
  return { database: up ? 'ok' : 'unreachable', ...(waiting === undefined ? {} : { outbox: waiting }) };
}
