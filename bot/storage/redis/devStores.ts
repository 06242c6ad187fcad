import type { Account, AppealCase } from '../../../domain/accounts';
import type { DirectoryData } from '../../services/demoDirectory';
import type { OutboxEntry, SharedOutbox } from '../../services/sms';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

/** The demo directory's accounts and cases in Redis, so every instance sees the same demo. */
export class RedisDirectoryData implements DirectoryData {
  private readonly accountsKey = keys.shared('demo:accounts');
  private readonly casesKey = keys.shared('demo:cases');

  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async seed(accounts: readonly Account[], force: boolean) {
    if (force) {
      await this.redis.multi().del(this.accountsKey, this.casesKey).hset(this.accountsKey, Object.fromEntries(accounts.map((a) => [a.id, JSON.stringify(a)]))).exec();
      return;
    }
    // Only what is missing: another instance may already have changed an account.
    await Promise.all(accounts.map((a) => this.redis.hsetnx(this.accountsKey, a.id, JSON.stringify(a))));
  }

  async accounts() {
    return Object.values(await this.redis.hgetall(this.accountsKey)).map((raw) => JSON.parse(raw) as Account);
  }

  async account(id: string) {
    const raw = await this.redis.hget(this.accountsKey, id);
    return raw ? (JSON.parse(raw) as Account) : undefined;
  }

  async replaceAccount(expected: Account, next: Account) {
    const newPhone = next.phone === expected.phone ? '' : next.phone;
    return (await this.redis.kefuAccountReplace(this.accountsKey, expected.id, JSON.stringify(expected), JSON.stringify(next), newPhone)) === 1;
  }

  async addCase(appeal: AppealCase) {
    return (await this.redis.hsetnx(this.casesKey, appeal.id, JSON.stringify(appeal))) === 1;
  }

  async case(id: string) {
    const raw = await this.redis.hget(this.casesKey, id);
    return raw ? (JSON.parse(raw) as AppealCase) : undefined;
  }

  async cases() {
    return Object.values(await this.redis.hgetall(this.casesKey)).map((raw) => JSON.parse(raw) as AppealCase);
  }
}

/** The development SMS outbox shared by every instance. */
export class RedisOutbox implements SharedOutbox {
  private readonly key = keys.shared('dev:outbox');

  constructor(private readonly redis: RedisClient) {
    withScripts(redis);
  }

  async push(entry: OutboxEntry, limit: number) {
    await this.redis.kefuAppendCapped(this.key, limit, 0, '0', JSON.stringify(entry));
  }

  async list() {
    return (await this.redis.lrange(this.key, 0, -1)).map((raw) => JSON.parse(raw) as OutboxEntry);
  }

  async clear() {
    await this.redis.del(this.key);
  }
}
