/**
 * Every key Kefu writes, under `kefu:`. Keys of one conversation share the hash tag
 * `{c:<conversation>}`, so they live in one Redis Cluster slot (Lua scripts and multi-key
 * commands over them work in cluster mode); shared structures use the tag `{kefu}`.
 */
export const keys = {
  conversation: (conversation: string, part: string) => `kefu:{c:${conversation}}:${part}`,
  shared: (part: string) => `kefu:{kefu}:${part}`,
  /** Pub/sub channels are not keys, but are named the same way. */
  channel: (name: string) => `kefu:events:${name}`,
};
