import fs from 'node:fs';
import type { Request, Response, Server } from 'restify';

export interface StaticAsset {
  file: string;
  type: string;
  /** Seconds browsers may cache it; 0 revalidates every time. */
  maxAge: number;
}

/** Serves files the bot ships (pages, scripts, styles) at fixed routes: no directory listing, no CDN. */
export function mountStaticAssets(server: Server, assets: Record<string, StaticAsset>, headers: Record<string, string> = {}): void {
  for (const [route, asset] of Object.entries(assets)) {
    server.get(route, async (_req: Request, res: Response) => {
      const body = await fs.promises.readFile(asset.file);
      res.setHeader('content-type', asset.type);
      res.setHeader('cache-control', asset.maxAge > 0 ? `public, max-age=${asset.maxAge}` : 'no-cache');
      res.setHeader('x-content-type-options', 'nosniff');
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.sendRaw(200, body);
    });
  }
}
