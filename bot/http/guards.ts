import type { Request, Response, Server } from 'restify';
import restify from './restify';
import type { Locale } from '../../knowledge/schema';
import { messages } from '../../dialogs/messages';
import { UPLOAD_ROUTE } from '../channels/directline/service';
import { MAX_CHANNEL_ACTIVITY_BYTES, MAX_USER_ACTIVITY_BYTES } from '../inboundActivity';
import type { Logger } from '../logger';
import { parseRequestTarget } from './requestTarget';

const UPLOAD_PATH = /^\/v3\/directline\/conversations\/[^/?]+\/upload(\?|$)/;
/** The two routes where activities arrive, with the most each may be (bot/inboundActivity.ts). */
const ACTIVITY_ROUTES: { method: string; path: RegExp; maxBytes: number }[] = [
  { method: 'POST', path: /^\/api\/messages(\?|$)/, maxBytes: MAX_CHANNEL_ACTIVITY_BYTES },
  { method: 'POST', path: /^\/v3\/directline\/conversations\/[^/?]+\/activities(\?|$)/, maxBytes: MAX_USER_ACTIVITY_BYTES },
];

/** The route a request matched, never its path: paths carry conversation ids, which are not logged. */
const routeOf = (req: Request) => String(req.getRoute()?.path ?? 'unrouted');

export interface GuardDeps {
  logger: Logger;
  /** Whether a failure is the shared store being unreachable (503, not 500). */
  outage(error: unknown): boolean;
  /** The language of the sentence a 503 carries. */
  locale: Locale;
}

/**
 * What every request passes before a route sees it — readable targets, bodies only where and
 * as large as they are expected — and the one place a failed request is answered.
 */
export function guardRequests(server: Server, { logger, outage, locale }: GuardDeps): void {
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
      if (outage(error)) {
        logger.warn({ err: error, route: routeOf(req) }, 'request failed: shared store unavailable');
        res.header('Retry-After', '5');
        res.send(503, { error: 'service temporarily unavailable', message: messages(locale).unavailable });
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
}
