import type { Request, Response, Server } from 'restify';
import { cookieOf } from '../handoff/routes';
import type { DeskContext } from './context';
import { leadOf } from './lead';

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/knowledge/events: the desk's live connection (the staff pages' shared live.js).
 * An open desk hears the moment this instance serves a version — published by another lead,
 * the CLI or a rollback on any instance — so nobody edits on top of what they think is live.
 * Lead-only like every desk route; a session that expires ends the stream.
 */
export function mountDeskEvents(server: Server, desk: DeskContext): { close(): void } {
  const streams = new Set<Response>();
  server.get('/api/knowledge/events', async (req: Request, res: Response) => {
    const lead = await leadOf(desk.sessions, req, res);
    if (!lead) return;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = desk.following.onServed((version) => {
      const { number, publishedBy, publishedAt, message, rollbackOf } = version;
      res.write(`event: version\ndata: ${JSON.stringify({ number, publishedBy, publishedAt, message, rollbackOf })}\n\n`);
    });
    const token = cookieOf(req);
    const beat = setInterval(() => {
      desk.sessions
        .agentOf(token)
        .then((agent) => (agent ? res.write(': beat\n\n') : res.end()))
        .catch((error: unknown) => desk.logger.warn({ err: error }, 'knowledge desk heartbeat failed'));
    }, HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    });
  });
  return {
    close() {
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}
