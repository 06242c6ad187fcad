import fs from 'node:fs';
import type { Config } from '../../config';
import { maskPhone } from '../../../domain/mask';
import { createLogger } from '../../logger';
import { phoneKeyOf } from '../../records/phoneKey';
import { connectRedis, untilReady, type RedisClient } from '../redis/connection';
import { eraseSubject, exportSubject, logExport, scopeOf } from './privacy';
import { parsePrivacyArgs, PRIVACY_USAGE, type PrivacyCommand } from './privacyArgs';
import { eraseFromOutbox, eraseHotState, eraseNumberState, hotScopeOf } from './privacyHotState';
import { openPool } from './pool';
import { recordsSecretOf } from './records';
import type { Pool } from 'pg';

export interface PrivacyOutput {
  log(line: string): void;
  error(line: string): void;
}

/** `npm run privacy`: the exit code (0 done, 1 failed, 2 wrong use), one line of outcome or error. */
export async function runPrivacy(argv: readonly string[], config: Config, out: PrivacyOutput): Promise<number> {
  const parsed = parsePrivacyArgs(argv);
  if ('error' in parsed) {
    out.error(`privacy: ${parsed.error}\n${PRIVACY_USAGE}`);
    return 2;
  }
  if (!config.DATABASE_URL) {
    out.error('privacy: DATABASE_URL is not set — expected postgres://user@host:port/database');
    return 2;
  }
  const logger = createLogger('silent');
  const pool = openPool(config.DATABASE_URL, logger, { max: 2, statementTimeoutMs: 120_000 });
  const shared = config.REDIS_URL || config.REDIS_CLUSTER_NODES;
  const redis = shared ? connectRedis({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES, commandTimeoutMs: 10_000 }, logger) : undefined;
  try {
    if (redis && !(await untilReady(redis, 10_000))) throw new Error('Redis (REDIS_URL) did not answer within 10 s; nothing was changed');
    const phoneKey = phoneKeyOf(recordsSecretOf(config), parsed.phone);
    if (parsed.command === 'export') return await exportCommand(pool, parsed, phoneKey, out);
    return await deleteCommand(pool, redis, parsed, phoneKey, out);
  } catch (error) {
    out.error(`privacy: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await pool.end();
    redis?.disconnect();
  }
}

async function exportCommand(pool: Pool, command: Extract<PrivacyCommand, { command: 'export' }>, phoneKey: string, out: PrivacyOutput): Promise<number> {
  const exported = await exportSubject(pool, phoneKey, command.phone);
  const json = `${JSON.stringify(exported, null, 2)}\n`;
  await logExport(pool, command.by, exported);
  const lines = exported.conversations.reduce((n, c) => n + c.lines.length, 0);
  const summary = `Exported ${exported.conversations.length} conversation(s) of ${exported.phone}: ${lines} transcript line(s)`;
  if (command.out) {
    // What it holds is a person's data: readable by the owner only.
    fs.writeFileSync(command.out, json, { mode: 0o600 });
    out.log(`${summary} → ${command.out}`);
  } else {
    out.log(json.trimEnd());
  }
  return 0;
}

/**
 * Redis first (the outbox, so no drainer writes the records back; then the live state and
 * files), PostgreSQL last in one transaction: until it commits, the number's links are kept,
 * so running the command again after any failure finds everything.
 */
async function deleteCommand(pool: Pool, redis: RedisClient | undefined, command: Extract<PrivacyCommand, { command: 'delete' }>, phoneKey: string, out: PrivacyOutput): Promise<number> {
  const scope = await scopeOf(pool, phoneKey);
  let elsewhere: Record<string, number> = {};
  if (redis) {
    const outbox = await eraseFromOutbox(redis, scope, phoneKey);
    const { rows } = await pool.query<{ body: string }>('SELECT body::text AS body FROM conversation_lines WHERE conversation = ANY($1)', [scope.conversations]);
    const hot = await eraseHotState(redis, scope, await hotScopeOf(redis, scope, rows.map((row) => row.body)));
    const numberKeys = await eraseNumberState(redis, command.phone);
    elsewhere = { redisKeys: hot.keys + numberKeys, files: hot.files, redisKbSignals: hot.kbSignals, outboxEntries: outbox };
  }
  const erased = await eraseSubject(pool, phoneKey, command.by, elsewhere);
  const masked = maskPhone(command.phone);
  if (erased.conversations === 0 && erased.tickets === 0 && Object.values(elsewhere).every((n) => n === 0)) {
    out.log(`Nothing kept about ${masked}. Logged as privacy.delete by ${command.by}.`);
    return 0;
  }
  const redisPart = redis
    ? `; Redis: ${elsewhere.redisKeys} key(s), ${elsewhere.files} file(s), ${elsewhere.redisKbSignals} KB signal(s), ${elsewhere.outboxEntries} outbox entr${elsewhere.outboxEntries === 1 ? 'y' : 'ies'}`
    : '';
  out.log(
    `Erased the data of ${masked}: ${erased.conversations} conversation(s), ${erased.lines} transcript line(s), ${erased.handoffs} handoff(s), ${erased.notes} note(s), ` +
      `${erased.tickets} ticket(s), ${erased.kbSignals} KB signal(s), ${erased.subjects} subject link(s)${redisPart}. Logged as privacy.delete by ${command.by}.`,
  );
  return 0;
}
