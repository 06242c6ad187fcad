import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'restify';
import { PROJECT_ROOT } from '../projectRoot';
import { mountStaticAssets, type StaticAsset } from '../staticAssets';

/**
 * The parts the staff pages share (agent console at /agent, knowledge desk at /knowledge),
 * served under /ui/: sign-in, session calls, words, live connection, the common look, and
 * Preact + htm straight from node_modules (no bundler, no CDN).
 */
const UI_DIR = path.join(PROJECT_ROOT, 'bot', 'ui', 'public');
const NODE_MODULES = path.join(PROJECT_ROOT, 'node_modules');
const SCRIPT = 'text/javascript; charset=utf-8';

const SHARED_SCRIPTS = ['userText.js', 'i18n.js', 'session.js', 'signIn.js', 'live.js'] as const;
/** The ES modules the knowledge desk imports by bare name (its import map points here). */
const VENDOR: Record<string, string> = {
  'preact.mjs': path.join(NODE_MODULES, 'preact', 'dist', 'preact.module.js'),
  'hooks.mjs': path.join(NODE_MODULES, 'preact', 'hooks', 'dist', 'hooks.module.js'),
  'htm.mjs': path.join(NODE_MODULES, 'htm', 'dist', 'htm.module.js'),
};

/** Nothing but our own scripts (and, where a page has one, its import map by hash) runs on a staff page. */
export function staffPageCsp(inlineScriptHashes: readonly string[] = []): Record<string, string> {
  const scripts = ["'self'", ...inlineScriptHashes.map((hash) => `'sha256-${hash}'`)].join(' ');
  return { 'content-security-policy': `default-src 'self'; script-src ${scripts}; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'` };
}

/** Hashes of a page's inline import map(s), for its CSP: the map can change without the policy going stale. */
export function importMapHashes(htmlFile: string): string[] {
  const html = fs.readFileSync(htmlFile, 'utf8');
  return [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((match) => crypto.createHash('sha256').update(match[1] ?? '').digest('base64'));
}

const mounted = new WeakSet<Server>();

/** Mounts /ui/* once per server, whichever staff page asks first. */
export function mountSharedUi(server: Server): void {
  if (mounted.has(server)) return;
  mounted.add(server);
  const assets: Record<string, StaticAsset> = {
    '/ui/ui.css': { file: path.join(UI_DIR, 'ui.css'), type: 'text/css; charset=utf-8', maxAge: 0 },
    ...Object.fromEntries(SHARED_SCRIPTS.map((name) => [`/ui/${name}`, { file: path.join(UI_DIR, name), type: SCRIPT, maxAge: 0 }])),
    ...Object.fromEntries(Object.entries(VENDOR).map(([name, file]) => [`/ui/vendor/${name}`, { file, type: SCRIPT, maxAge: 3600 }])),
  };
  mountStaticAssets(server, assets, staffPageCsp());
}

