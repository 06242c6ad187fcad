import { kbVersionSchema, summaryOf, versionSummarySchema, type KbVersion, type VersionSummary } from '../../../knowledge/versions/schema';
import { DEFAULT_VERSIONS_KEPT, serializeVersion, type VersionStore } from '../../../knowledge/versions/store';
import type { RedisClient } from './connection';
import { keys } from './keys';

/**
 * Claims number ARGV[1] only when it follows the newest, stores the version and its summary,
 * and drops the oldest beyond ARGV[4] kept; one script, so no instance sees half of it.
 * KEYS: the newest number, versions by number, summaries by number (one hash tag).
 */
const PUT_LUA = `
local number = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= number - 1 then return 0 end
redis.call('SET', KEYS[1], number)
redis.call('HSET', KEYS[2], number, ARGV[2])
redis.call('HSET', KEYS[3], number, ARGV[3])
local kept = tonumber(ARGV[4])
local oldest = number - kept
for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
  if tonumber(field) <= oldest then
    redis.call('HDEL', KEYS[2], field)
    redis.call('HDEL', KEYS[3], field)
  end
end
return 1
`;

/** Published knowledge-base versions in Redis, announced on a pub/sub channel so every instance serves a new one at once. */
export class RedisVersionStore implements VersionStore {
  private readonly latestKey = keys.shared('kb:latest');
  private readonly versionsKey = keys.shared('kb:versions');
  private readonly summariesKey = keys.shared('kb:summaries');
  private readonly channel = keys.channel('kb-published');
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly redis: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly kept = DEFAULT_VERSIONS_KEPT,
  ) {
    // The subscriber connection waits for Redis (also at start-up); it fails only when closed.
    subscriber.subscribe(this.channel).catch(() => undefined);
    subscriber.on('message', (channel: string) => {
      if (channel === this.channel) for (const listener of this.listeners) listener();
    });
  }

  async latest(): Promise<number> {
    return Number((await this.redis.get(this.latestKey)) ?? 0);
  }

  async get(number: number): Promise<KbVersion | undefined> {
    const raw = await this.redis.hget(this.versionsKey, String(number));
    return raw === null ? undefined : kbVersionSchema.parse(JSON.parse(raw));
  }

  async list(): Promise<VersionSummary[]> {
    const all = Object.values(await this.redis.hgetall(this.summariesKey));
    return all.map((raw) => versionSummarySchema.parse(JSON.parse(raw))).sort((a, b) => b.number - a.number);
  }

  async put(version: KbVersion): Promise<boolean> {
    const stored = await this.redis.eval(PUT_LUA, 3, this.latestKey, this.versionsKey, this.summariesKey, version.number, serializeVersion(version), JSON.stringify(summaryOf(version)), this.kept);
    if (stored !== 1) return false;
    await this.redis.publish(this.channel, String(version.number));
    return true;
  }

  onPublished(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
