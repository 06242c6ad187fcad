import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../bot/logger';
import { migrate, MIGRATIONS_DIR } from '../../bot/storage/postgres/migrate';
import { PostgresServer, queryOnce } from '../support/postgres';

/**
 * Migrations: instances starting together migrate once, a second run changes nothing, and
 * every migration is additive, so an older instance keeps working beside a newer one during a
 * rolling update.
 */
let server: PostgresServer;
beforeAll(async () => {
  server = await PostgresServer.start();
});
afterAll(async () => {
  await server?.destroy();
});

test('three instances starting at once migrate once; a later start finds nothing to do', async () => {
  const logger = createLogger('silent');
  const runs = await Promise.all([migrate(server.url, logger), migrate(server.url, logger), migrate(server.url, logger)]);
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
  expect(runs.flat()).toHaveLength(files.length);
  expect(await migrate(server.url, logger)).toEqual([]);
  const tables = await queryOnce(server.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['conversation_lines', 'handoffs', 'handoff_notes', 'tickets', 'kb_signals', 'staff_actions', 'subjects', 'applied_records']));
});

/** What an Up section may not do: take away or change what an older instance reads or writes. */
const NOT_ADDITIVE = /\b(DROP\s+(TABLE|COLUMN|INDEX|CONSTRAINT|VIEW|TYPE)|RENAME\b|ALTER\s+COLUMN\s+\w+\s+(TYPE|SET\s+NOT\s+NULL)|TRUNCATE)\b/i;
/** A new column an older instance's INSERTs do not name must have a default. */
const NOT_NULL_WITHOUT_DEFAULT = /ADD\s+COLUMN[^,;]*NOT\s+NULL(?![^,;]*DEFAULT)/i;

test.each(fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')))('%s only adds (no drop, rename, type change or new NOT NULL on an old column)', (file) => {
  const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
  const up = sql.split(/^\s*--\s*Down Migration/im)[0] ?? '';
  const code = up.replace(/--.*$/gm, '');
  expect(code).not.toMatch(NOT_ADDITIVE);
  expect(code).not.toMatch(NOT_NULL_WITHOUT_DEFAULT);
  expect(sql).toMatch(/^\s*--\s*Up Migration/im);
});
