import { Pool } from 'pg';
import type { Logger } from '../../logger';

/**
 * One pool per process. A query waits at most `statementTimeoutMs` and a connection at most
 * two seconds: nothing a user waits on talks to PostgreSQL (records go through the outbox),
 * and what staff wait on (the history) fails clearly rather than hanging while it is away.
 */
export function openPool(url: string, logger: Logger, options: { max?: number; statementTimeoutMs?: number } = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    application_name: 'kefu',
  });
  let reported = false;
  // An idle client losing its server emits 'error' on the pool: unhandled, it would end the process.
  pool.on('error', (error) => {
    if (!reported) logger.error({ err: error }, 'postgres connection lost');
    reported = true;
  });
  pool.on('connect', () => {
    if (reported) logger.info('postgres reachable again');
    reported = false;
  });
  return pool;
}

/** Answers within a second whether the database responds (for /readyz). */
export async function databaseReady(pool: Pool): Promise<boolean> {
  try {
    const answer = await Promise.race([pool.query('SELECT 1 AS ok'), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
    return answer?.rows[0]?.ok === 1;
  } catch {
    return false;
  }
}

/** Whether a failure is the database being unreachable or too slow (a 503 for staff, never a crash). */
export function isDatabaseOutage(error: unknown): boolean {
  // Not `instanceof Error`: node's own socket errors come from another realm under jest's sandbox.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P03' || code === '57014' || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code))) ||
    (typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/.test(message))
  );
}
