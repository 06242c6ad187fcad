import type { KbSignal } from '../../../domain/kbSignal';
import { stored, type KbSignalLog, type StoredKbSignal } from '../kbSignalLog';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

/** Questions that fell back and 👍/👎 votes, for the knowledge-base authors: the newest `kept`. */
export class RedisKbSignalLog implements KbSignalLog {
  private readonly key = keys.shared('kb-signals');

  constructor(
    private readonly redis: RedisClient,
    private readonly kept = 10_000,
  ) {
    withScripts(redis);
  }

  async append(signal: KbSignal, conversation: string): Promise<void> {
    await this.redis.kefuAppendCapped(this.key, this.kept, 0, '0', JSON.stringify(stored(signal, conversation)));
  }

  async list(): Promise<StoredKbSignal[]> {
    return (await this.redis.lrange(this.key, 0, -1)).map((raw) => JSON.parse(raw) as StoredKbSignal);
  }
}
