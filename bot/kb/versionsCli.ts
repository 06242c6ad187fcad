import { createLogger } from '../logger';
import { linkHostsOf, type Config } from '../config';
import { folderVersionStore } from '../storage/backend';
import { connectRedis, connectSubscriber, untilReady } from '../storage/redis/connection';
import { RedisVersionStore } from '../storage/redis/kbVersionStore';
import { withDatabaseVersions } from './database';
import { readDraft, writeYaml } from '../../knowledge/versions/draft';
import { publishVersion, rollbackTo } from '../../knowledge/versions/publish';
import type { EntryDiff, KbVersion, Publication } from '../../knowledge/versions/schema';
import type { VersionStore } from '../../knowledge/versions/store';

/**
 * The store the running bot follows: PostgreSQL with DATABASE_URL (the folder's or Redis's
 * versions carried over while it has none), else Redis when configured, else the versions folder.
 */
async function withStore<T>(config: Config, use: (store: VersionStore) => Promise<T>): Promise<T> {
  const { DATABASE_URL } = config;
  if (DATABASE_URL) return withStoreBefore(config, (previous) => withDatabaseVersions(config, DATABASE_URL, use, previous));
  return withStoreBefore(config, use);
}

/** Where versions live without a database. */
async function withStoreBefore<T>(config: Config, use: (store: VersionStore) => Promise<T>): Promise<T> {
  if (!config.REDIS_URL && !config.REDIS_CLUSTER_NODES) return use(folderVersionStore(config));
  const settings = { url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS };
  const logger = createLogger('silent');
  const redis = connectRedis(settings, logger);
  const subscriber = connectSubscriber(settings, logger);
  try {
    if (!(await untilReady(redis, 5000))) throw new Error('Redis is not reachable');
    return await use(new RedisVersionStore(redis, subscriber, config.KB_VERSIONS_KEPT));
  } finally {
    subscriber.disconnect();
    redis.disconnect();
  }
}

const diffLine = (diff: EntryDiff) => `+${diff.added.length} -${diff.removed.length} ~${diff.changed.length}`;

function describe(version: KbVersion): string {
  const lines = [`Published version ${version.number} (${diffLine(version.diff)}${version.rollbackOf ? `, equal to version ${version.rollbackOf}` : ''}).`];
  for (const [sign, keys] of [['+', version.diff.added], ['-', version.diff.removed], ['~', version.diff.changed]] as const) {
    for (const key of keys) lines.push(`  ${sign} ${key}`);
  }
  return lines.join('\n');
}

export async function publishDraft(config: Config, dir: string, publication: Publication): Promise<number> {
  const files = readDraft(dir, linkHostsOf(config));
  const version = await withStore(config, (store) => publishVersion(store, files, publication));
  console.log(describe(version));
  return 0;
}

export async function rollback(config: Config, number: number, publication: Publication): Promise<number> {
  const version = await withStore(config, (store) => rollbackTo(store, number, publication));
  console.log(describe(version));
  return 0;
}

export async function listVersions(config: Config, json: boolean): Promise<number> {
  const versions = await withStore(config, (store) => store.list());
  if (json) console.log(JSON.stringify(versions));
  else if (versions.length === 0) console.log('No version published yet: the bot serves the files under KB_DIR.');
  for (const v of json ? [] : versions) {
    console.log(`${String(v.number).padStart(4)}  ${v.publishedAt}  ${v.publishedBy}  ${diffLine(v.diff)}${v.rollbackOf ? `  (rollback to ${v.rollbackOf})` : ''}  ${v.message}`);
  }
  return 0;
}

/** The served version as YAML files; `number` picks an older kept one. */
export async function exportYaml(config: Config, dir: string, number?: number): Promise<number> {
  const version = await withStore(config, async (store) => store.get(number ?? (await store.latest())));
  if (!version) {
    console.error(number ? `version ${number} is not kept (see \`kb versions\`)` : 'no version published yet: the files under KB_DIR are what the bot serves');
    return 1;
  }
  const written = writeYaml(dir, version);
  console.log(`Wrote version ${version.number} as ${written.length} file(s) under ${dir}.`);
  return 0;
}
