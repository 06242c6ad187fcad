import { sharedStateSuite } from '../support/sharedStateSuite';
import { RedisServer } from '../support/redis';

/** Two Kefu instances sharing one single-node Redis. */
jest.setTimeout(60_000);

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await redis?.destroy();
});

sharedStateSuite(() => ({ REDIS_URL: redis.url }));
