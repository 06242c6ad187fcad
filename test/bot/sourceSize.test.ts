import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The project keeps its modules small, one job each: no TypeScript source of the bot passes
 * 450 lines (a file that does is doing more than one thing and is split along its jobs).
 */

const ROOT = path.resolve(__dirname, '../..');
const LIMIT = 450;

test(`no TypeScript source of the bot passes ${LIMIT} lines`, () => {
  const files = execFileSync('git', ['ls-files', '--', 'bot', 'domain', 'dialogs', 'knowledge', 'bench'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.ts') && fs.existsSync(path.join(ROOT, file)));
  expect(files.length).toBeGreaterThan(50);
  const long = files
    .map((file) => ({ file, lines: fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > LIMIT)
    .map(({ file, lines }) => `${file}: ${lines} lines`);
  expect(long).toEqual([]);
});
