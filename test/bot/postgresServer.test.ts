import fs from 'node:fs';
import { PostgresServer, queryOnce } from '../support/postgres';

/**
 * The tests' own PostgreSQL, which the durable-record and fault tests stand on: a record
 * committed before a stop is there after the restart, a stopped server answers nothing,
 * and nothing is left behind.
 */
let server: PostgresServer | undefined;
afterAll(async () => {
  await server?.destroy();
});

test('a record survives stop and start; while stopped, queries fail; destroy leaves no folder', async () => {
  server = await PostgresServer.start();
  expect(server.url).toBe(`postgres://kefu@127.0.0.1:${server.port}/kefu`);
  await queryOnce(server.url, 'CREATE TABLE notes (id serial PRIMARY KEY, words text NOT NULL)');
  await queryOnce(server.url, 'INSERT INTO notes (words) VALUES ($1)', ['我的钱包被冻结了']);

  await server.stop();
  await expect(queryOnce(server.url, 'SELECT words FROM notes')).rejects.toThrow(/ECONNREFUSED/);

  await server.start();
  expect(await queryOnce(server.url, 'SELECT words FROM notes')).toEqual([{ words: '我的钱包被冻结了' }]);

  await server.destroy();
  expect(fs.existsSync(server.dir)).toBe(false);
  server = undefined;
}, 180_000);
