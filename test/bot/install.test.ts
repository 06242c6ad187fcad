import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * What `npm ci` on a fresh clone prints: the dependency tree it installs is valid (no peer
 * conflict npm has to override with a screenful of ERESOLVE warnings), and every install script
 * in the lockfile has been reviewed in package.json's `allowScripts`, so npm has nothing to hold back and warn about.
 */
const ROOT = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

test('the installed dependency tree satisfies every peer range (npm ls --all reports nothing invalid)', async () => {
  const result = await promisify(execFile)('npm', ['ls', '--all'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stderr }) => ({ ok: true, stderr }),
    (error: { stderr?: string; stdout?: string }) => ({ ok: false, stderr: `${error.stderr ?? ''}${(error.stdout ?? '').split('\n').filter((line) => /invalid|ERR/.test(line)).join('\n')}` }),
  );
  expect(result.stderr).toBe('');
  expect(result.ok).toBe(true);
});

test('every package with an install script is named in allowScripts', () => {
  const lock = readJson('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
  const allowScripts = (readJson('package.json').allowScripts ?? {}) as Record<string, boolean>;
  const reviewed = new Set(Object.keys(allowScripts).map((key) => key.replace(/(.)@.*$/, '$1')));
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
  expect(withScripts.length).toBeGreaterThan(0);
  expect([...new Set(withScripts)].filter((name) => !reviewed.has(name))).toEqual([]);
});
