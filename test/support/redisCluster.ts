import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REDIS_CLI, requireProgram } from './programs';
import { RedisServer } from './redis';

const run = promisify(execFile);

/** A three-master Redis Cluster on loopback ports, made by the test with redis-cli --cluster create. */
export class RedisCluster {
  private constructor(readonly nodes: RedisServer[]) {}

  static async start(): Promise<RedisCluster> {
    // Before any node starts, so a missing redis-cli leaves nothing behind.
    const cli = requireProgram(REDIS_CLI);
    const nodes = await Promise.all(
      [0, 1, 2].map(() => RedisServer.start(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'])),
    );
    const cluster = new RedisCluster(nodes);
    await run(cli, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const infos = await Promise.all(nodes.map((n) => run(cli, ['-p', String(n.port), 'cluster', 'info']).then((r) => r.stdout)));
      if (infos.every((info) => info.includes('cluster_state:ok'))) break;
      if (Date.now() > deadline) throw new Error('the Redis Cluster did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return cluster;
  }

  /** REDIS_CLUSTER_NODES for Kefu. */
  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.destroy()));
  }
}
