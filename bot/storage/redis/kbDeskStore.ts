import { EMPTY_DESK, type DeskState } from '../../../knowledge/desk/draft';
import { parseDesk, serializeDesk, type DeskStore } from '../../../knowledge/desk/store';
import type { RedisClient } from './connection';
import { keys } from './keys';

/** Stores ARGV[2] as revision ARGV[1] only while the stored revision is ARGV[1] - 1: one script, so two instances cannot both win. */
const WRITE_LUA = `
local current = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
if current ~= tonumber(ARGV[1]) - 1 then return 0 end
redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'state', ARGV[2])
return 1
`;

/** The knowledge desk's draft and resolutions in Redis, shared by every instance. */
export class RedisDeskStore implements DeskStore {
  private readonly key = keys.shared('kb:desk');

  constructor(private readonly redis: RedisClient) {}

  async read(): Promise<DeskState> {
    const raw = await this.redis.hget(this.key, 'state');
    return raw === null ? EMPTY_DESK : parseDesk(raw);
  }

  async write(next: DeskState): Promise<boolean> {
    return (await this.redis.eval(WRITE_LUA, 1, this.key, next.revision, serializeDesk(next))) === 1;
  }
}
