import { RedisCluster } from '../support/redisCluster';
import { sharedStateSuite } from '../support/sharedStateSuite';

/** The same suite on a three-master Redis Cluster: every key of a conversation in one slot. */
jest.setTimeout(90_000);

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await RedisCluster.start();
});
afterAll(async () => {
  await cluster?.destroy();
});

sharedStateSuite(() => ({ REDIS_CLUSTER_NODES: cluster.seeds }));
