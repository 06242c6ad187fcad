import type { Config } from '../../config';
import type { InsightsRecorder } from '../../desk/insights';
import type { Logger } from '../../logger';
import type { VersionStore } from '../../../knowledge/versions/store';
import type { KbSignalLog } from '../kbSignalLog';
import { PostgresInsights } from './insights';
import { PostgresKbSignalLog } from './kbSignalLog';
import { PostgresVersionStore } from './kbVersionStore';
import type { Records } from './records';

/** What the knowledge desk keeps, in the database when DATABASE_URL is set (whether or not Redis is). */
export interface DatabaseDeskStores {
  kbVersions: VersionStore;
  insights: InsightsRecorder;
  signals: KbSignalLog;
}

/** `previousVersions`: where versions lived without the database, carried over once (see PostgresVersionStore). */
export function databaseDeskStores(config: Config, records: Records, logger: Logger, previousVersions: VersionStore): DatabaseDeskStores {
  return {
    kbVersions: new PostgresVersionStore(records.pool, config.DATABASE_URL ?? '', logger, config.KB_VERSIONS_KEPT, previousVersions),
    insights: new PostgresInsights(records.outbox, records.pool, config.INSIGHTS_DAYS_KEPT),
    signals: new PostgresKbSignalLog(records.outbox, records.pool, config.KB_SIGNALS_KEEP),
  };
}
