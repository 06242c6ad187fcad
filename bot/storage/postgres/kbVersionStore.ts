import type { Pool } from 'pg';
import { kbVersionSchema, versionSummarySchema, type KbVersion, type VersionSummary } from '../../../knowledge/versions/schema';
import { DEFAULT_VERSIONS_KEPT, serializeVersion, type VersionStore } from '../../../knowledge/versions/store';
import type { Logger } from '../../logger';
import { PublicationListener } from './publicationListener';

/** The channel a publication is announced on (LISTEN/NOTIFY). */
export const PUBLISHED_CHANNEL = 'kefu_kb_published';

/** The table is not there yet: migrations run after start-up began (or DB_MIGRATE=off and nobody ran them). */
const noTableYet = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === '42P01';
const emptyUntilMigrated = <T>(empty: T) => (error: unknown): T => {
  if (noTableYet(error)) return empty;
  throw error;
};

/**
 * Published knowledge-base versions in PostgreSQL (table kb_versions), with DATABASE_URL.
 * The number is claimed by the primary key (INSERT … ON CONFLICT DO NOTHING) and only when it
 * follows the newest; the oldest beyond `kept` go in the same transaction, and the
 * publication is announced with NOTIFY there too, so the notice leaves exactly when the
 * version is committed. Instances hear it on a dedicated LISTEN connection of their own.
 */
export class PostgresVersionStore implements VersionStore {
  private readonly listeners = new Set<() => void>();
  private listener: PublicationListener | undefined;
  private carried = false;

  constructor(
    private readonly pool: Pool,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly kept = DEFAULT_VERSIONS_KEPT,
    /** Where versions lived before DATABASE_URL was set: copied over once while the table is empty. */
    private readonly previous?: VersionStore,
  ) {}

  async latest(): Promise<number> {
    await this.carriedOver();
    return this.newest();
  }

  /** Before the first read or write: the versions kept before DATABASE_URL, copied in while the table is empty. */
  private async carriedOver(): Promise<void> {
    if (!this.previous || this.carried) return;
    if ((await this.newest()) > 0) this.carried = true;
    else await this.carryOver(this.previous);
  }

  private async newest(): Promise<number> {
    const { rows } = await this.pool.query<{ latest: number }>('SELECT coalesce(max(number), 0)::int AS latest FROM kb_versions').catch(emptyUntilMigrated({ rows: [{ latest: 0 }] }));
    return rows[0]?.latest ?? 0;
  }

  /**
   * Turning DATABASE_URL on must not make the bots fall back to the seed files: the first
   * look at an empty table copies the versions the folder or Redis kept, numbers and all.
   * Under a table lock, so instances starting together copy them once.
   */
  private async carryOver(previous: VersionStore): Promise<void> {
    let versions: KbVersion[];
    try {
      const numbers = (await previous.list()).map((summary) => summary.number).sort((a, b) => a - b);
      versions = (await Promise.all(numbers.map((number) => previous.get(number)))).filter((version): version is KbVersion => version !== undefined);
    } catch (error) {
      this.logger.warn({ err: error }, 'knowledge versions kept before DATABASE_URL could not be read: not carried over');
      this.carried = true;
      return;
    }
    if (versions.length === 0) {
      this.carried = true;
      return;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE kb_versions IN SHARE ROW EXCLUSIVE MODE');
      const { rows } = await client.query<{ latest: number }>('SELECT coalesce(max(number), 0)::int AS latest FROM kb_versions');
      if ((rows[0]?.latest ?? 0) === 0) {
        for (const version of versions) {
          await client.query('INSERT INTO kb_versions (number, published_at, body) VALUES ($1, $2, $3::jsonb)', [version.number, version.publishedAt, serializeVersion(version)]);
        }
        await client.query('SELECT pg_notify($1, $2)', [PUBLISHED_CHANNEL, String(versions.at(-1)?.number)]);
        this.logger.info({ versions: versions.map((v) => v.number) }, 'knowledge versions kept before DATABASE_URL carried over to PostgreSQL');
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (noTableYet(error)) return;
      throw error;
    } finally {
      client.release();
    }
    this.carried = true;
  }

  async get(number: number): Promise<KbVersion | undefined> {
    await this.carriedOver();
    const { rows } = await this.pool.query<{ body: unknown }>('SELECT body FROM kb_versions WHERE number = $1', [number]).catch(emptyUntilMigrated({ rows: [] }));
    return rows[0] ? kbVersionSchema.parse(rows[0].body) : undefined;
  }

  /** The summaries only: the files (most of each version's bytes) stay in the database. */
  async list(): Promise<VersionSummary[]> {
    await this.carriedOver();
    const { rows } = await this.pool.query<{ summary: unknown }>("SELECT body - 'files' AS summary FROM kb_versions ORDER BY number DESC").catch(emptyUntilMigrated({ rows: [] }));
    return rows.map((row) => versionSummarySchema.parse(row.summary));
  }

  async put(version: KbVersion): Promise<boolean> {
    const json = serializeVersion(version);
    await this.carriedOver();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Two publishers both seeing N-1 as the newest both try N: the second waits on the key, then inserts nothing.
      const claimed = await client.query(
        `INSERT INTO kb_versions (number, published_at, body)
         SELECT $1, $2, $3::jsonb WHERE (SELECT coalesce(max(number), 0) FROM kb_versions) = $1 - 1
         ON CONFLICT (number) DO NOTHING`,
        [version.number, version.publishedAt, json],
      );
      if (claimed.rowCount !== 1) {
        await client.query('ROLLBACK');
        return false;
      }
      await client.query('DELETE FROM kb_versions WHERE number <= $1', [version.number - this.kept]);
      await client.query('SELECT pg_notify($1, $2)', [PUBLISHED_CHANNEL, String(version.number)]);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The LISTEN connection opens with the first listener (the CLI, which never listens, opens none). */
  onPublished(listener: () => void): () => void {
    this.listeners.add(listener);
    this.listener ??= new PublicationListener(this.databaseUrl, PUBLISHED_CHANNEL, () => this.notify(), this.logger);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Ends the LISTEN connection; the pool is the records' and closes with them. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.listener?.close();
    this.listener = undefined;
  }
}
