/** A write that carried an eTag the stored item no longer has: someone else wrote it first. */
export class StaleETagError extends Error {
  override readonly name = 'StaleETagError';
}
