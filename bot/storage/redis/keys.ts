/**
 * Every key Kefu writes, under `kefu:`. Keys of one conversation share the hash tag
 * `{c:<conversation>}`, so they live in one Redis Cluster slot (Lua scripts and multi-key
 * commands over them work in cluster mode); shared structures use the tag `{kefu}`, and a
 * number's one-time codes and its send counter the tag `{otp:<number>}`.
 */
export const keys = {
  conversation: (conversation: string, part: string) => `kefu:{c:${conversation}}:${part}`,
  shared: (part: string) => `kefu:{kefu}:${part}`,
  otp: (phone: string, part: string) => `kefu:{otp:${phone}}:${part}`,
  /** Every key `otp` names (for SCAN MATCH). */
  otpPattern: 'kefu:{otp:*',
  /** Pub/sub channels are not keys, but are named the same way. */
  channel: (name: string) => `kefu:events:${name}`,
};
