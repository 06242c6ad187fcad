import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { main } from '../../bot/kb/cli';
import { createLogger } from '../../bot/logger';
import { PostgresVersionStore } from '../../bot/storage/postgres/kbVersionStore';
import { migrate } from '../../bot/storage/postgres/migrate';
import { openPool } from '../../bot/storage/postgres/pool';
import { FolderVersionStore } from '../../knowledge/versions/folderStore';
import { versions } from '../support/contracts/versionStore';
import { PostgresServer, queryOnce } from '../support/postgres';

/**
 * Setting DATABASE_URL on a bot that already published versions (in its folder, or Redis)
 * keeps serving them: the first look at the empty table copies them over, once, whichever
 * instance (or the CLI) looks first.
 */
jest.setTimeout(90_000);

const logger = createLogger('silent');
let postgres: PostgresServer;
let pool: Pool;

beforeAll(async () => {
  postgres = await PostgresServer.start();
  await migrate(postgres.url, logger);
  pool = openPool(postgres.url, logger);
});
afterAll(async () => {
  await pool?.end();
  await postgres?.destroy();
});
beforeEach(async () => {
  await pool.query('TRUNCATE kb_versions');
});

async function folderWith(count: number): Promise<{ dir: string; folder: FolderVersionStore }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-carry-'));
  const folder = new FolderVersionStore(dir);
  for (const version of versions(count)) await folder.put(version);
  return { dir, folder };
}

test('two instances starting on an empty table copy the folder’s versions once, numbers and all; later folder versions are not copied', async () => {
  const { folder } = await folderWith(3);
  const [a, b] = [new PostgresVersionStore(pool, postgres.url, logger, 50, folder), new PostgresVersionStore(pool, postgres.url, logger, 50, folder)];
  expect(await Promise.all([a.latest(), b.latest()])).toEqual([3, 3]);
  expect(await queryOnce(postgres.url, 'SELECT number FROM kb_versions ORDER BY number')).toEqual([{ number: 1 }, { number: 2 }, { number: 3 }]);
  expect(await a.list()).toEqual(await folder.list());
  expect(await b.get(2)).toEqual(await folder.get(2));
  // From now on the database is where versions live.
  await folder.put(versions(4)[3]!);
  expect(await new PostgresVersionStore(pool, postgres.url, logger, 50, folder).latest()).toBe(3);
});

test('kb versions with DATABASE_URL set lists the versions published before it was', async () => {
  const { dir } = await folderWith(2);
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  try {
    expect(await main(['versions', '--json'], { KB_VERSIONS_DIR: dir, DATABASE_URL: postgres.url })).toBe(0);
  } finally {
    log.mockRestore();
  }
  expect((JSON.parse(out.join('\n')) as { number: number }[]).map((v) => v.number)).toEqual([2, 1]);
  expect(await queryOnce(postgres.url, 'SELECT count(*)::int AS n FROM kb_versions')).toEqual([{ n: 2 }]);
});
