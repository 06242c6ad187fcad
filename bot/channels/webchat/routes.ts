import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { AddressLimits } from '../../limits/httpLimits';
import type { Logger } from '../../logger';
import { PROJECT_ROOT } from '../../projectRoot';
import { mountStaticAssets, type StaticAsset } from '../../staticAssets';
import type { DirectLineTokens } from '../directline/tokens';

/**
 * The web chat widget: a page at `/` running Bot Framework Web Chat (its bundle served
 * from node_modules, no CDN), and the endpoint that gives the page a Direct Line token.
 * The Direct Line secret never reaches the browser.
 */
export type WebChatDirectLine =
  | { kind: 'embedded'; tokens: DirectLineTokens }
  | { kind: 'remote'; url: string; secret: string }
  | { kind: 'unavailable'; reason: string };

const PUBLIC_DIR = path.join(PROJECT_ROOT, 'bot', 'channels', 'webchat', 'public');
// The package exports only its module entry; the browser bundle sits in dist/ beside lib/.
const WEBCHAT_BUNDLE = path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');

const remoteTokenSchema = z.object({ conversationId: z.string(), token: z.string(), expires_in: z.number() });

const STATIC_FILES: Record<string, StaticAsset> = {
  '/': { file: path.join(PUBLIC_DIR, 'index.html'), type: 'text/html; charset=utf-8', maxAge: 0 },
  '/webchat/kefu.js': { file: path.join(PUBLIC_DIR, 'kefu.js'), type: 'text/javascript; charset=utf-8', maxAge: 300 },
  '/webchat/speaker.js': { file: path.join(PUBLIC_DIR, 'speaker.js'), type: 'text/javascript; charset=utf-8', maxAge: 300 },
  '/webchat/kefu.css': { file: path.join(PUBLIC_DIR, 'kefu.css'), type: 'text/css; charset=utf-8', maxAge: 300 },
  '/webchat/webchat.js': { file: WEBCHAT_BUNDLE, type: 'text/javascript; charset=utf-8', maxAge: 86400 },
};

/** The embedded Direct Line, relative to the page that asks: the page's own origin, whatever the request's Host header says. */
const EMBEDDED_DOMAIN = '/v3/directline';

export function mountWebChat(server: Server, directLine: WebChatDirectLine, logger: Logger, limits?: AddressLimits): void {
  mountStaticAssets(server, STATIC_FILES);

  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    res.setHeader('cache-control', 'public, max-age=86400');
    res.send(204);
  });

  server.post('/api/webchat/token', async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    // Each token is a new conversation (and, embedded, its state): counted per client address.
    if (directLine.kind !== 'unavailable' && limits && !(await limits.admit(req, res, 'conversations-per-address'))) return;
    switch (directLine.kind) {
      case 'embedded': {
        const conversationId = crypto.randomUUID().replace(/-/g, '');
        const user = `dl_${crypto.randomUUID().replace(/-/g, '')}`;
        const token = directLine.tokens.issue({ conv: conversationId, user });
        res.send(200, { conversationId, token, expires_in: directLine.tokens.ttlSeconds, domain: EMBEDDED_DOMAIN });
        return;
      }
      case 'remote': {
        try {
          const response = await fetch(`${directLine.url}/tokens/generate`, {
            method: 'POST',
            headers: { authorization: `Bearer ${directLine.secret}` },
            signal: AbortSignal.timeout(10_000),
          });
          const grant = remoteTokenSchema.parse(await response.json());
          res.send(200, { ...grant, domain: directLine.url });
        } catch (error) {
          logger.error({ err: error }, 'could not get a Direct Line token');
          res.send(502, { error: 'direct line unavailable' });
        }
        return;
      }
      case 'unavailable':
        res.send(503, { error: directLine.reason });
    }
  });
}
