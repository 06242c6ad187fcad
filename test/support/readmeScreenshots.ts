import fs from 'node:fs';
import path from 'node:path';

/**
 * The README's pictures are the browser tests' own screenshots: with KEFU_UPDATE_SCREENSHOTS=1
 * a test copies the one it just took to docs/screenshots/, so the README shows what the tests
 * saw, never a picture taken by hand.
 */
export function keepForReadme(taken: string, name: string): void {
  if (process.env.KEFU_UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.resolve(__dirname, '../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(taken, path.join(dir, `${name}.png`));
}
