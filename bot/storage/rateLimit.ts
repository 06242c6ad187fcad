/**
 * Counts hits per key in fixed windows: how many this one is, in the current window. The one
 * counter every limit uses (messages, conversations, handoffs, SMS …), each with its window.
 */
export interface RateLimiter {
  hit(key: string, windowMs: number): Promise<number>;
}
