/**
 * Lets one call per key through per window, on every instance that shares it: the typing
 * relay's (bot/handoff/service.ts), so that an indicator heard by several instances is
 * passed on once.
 */
export interface Throttle {
  /** True for the call that opens a window of `windowMs` for `key`; false for the others until it ends. */
  pass(key: string, windowMs: number): Promise<boolean>;
}
