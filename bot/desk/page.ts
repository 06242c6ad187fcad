import path from 'node:path';
import type { Server } from 'restify';
import { PROJECT_ROOT } from '../projectRoot';
import { mountStaticAssets, type StaticAsset } from '../staticAssets';
import { importMapHashes, mountSharedUi, staffPageCsp } from '../ui/staffPages';

/**
 * The knowledge desk's page at /knowledge: static files like the agent console's. Who may
 * use it is the API's question (401 brings the sign-in form, 403 the lead-only sentence).
 */
const PUBLIC_DIR = path.join(PROJECT_ROOT, 'bot', 'desk', 'public');
/** The desk's modules, each a part with one job (desk.js imports the rest). */
const DESK_SCRIPTS = ['deskText.js', 'deskParts.js', 'desk.js', 'deskUnanswered.js', 'deskEntries.js', 'deskProblems.js', 'deskTry.js', 'deskPublish.js', 'deskHistory.js', 'deskInsights.js', 'insights.js'] as const;

export function mountKnowledgePage(server: Server): void {
  const page = path.join(PUBLIC_DIR, 'index.html');
  const script = (name: string): StaticAsset => ({ file: path.join(PUBLIC_DIR, name), type: 'text/javascript; charset=utf-8', maxAge: 0 });
  mountStaticAssets(
    server,
    {
      '/knowledge': { file: page, type: 'text/html; charset=utf-8', maxAge: 0 },
      ...Object.fromEntries(DESK_SCRIPTS.map((name) => [`/knowledge/${name}`, script(name)])),
      '/knowledge/desk.css': { file: path.join(PUBLIC_DIR, 'desk.css'), type: 'text/css; charset=utf-8', maxAge: 0 },
      '/knowledge/insights.css': { file: path.join(PUBLIC_DIR, 'insights.css'), type: 'text/css; charset=utf-8', maxAge: 0 },
    },
    // The import map is the one inline script: allowed by its hash, nothing else inline runs.
    staffPageCsp(importMapHashes(page)),
  );
  mountSharedUi(server);
}
