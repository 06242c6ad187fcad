/**
 * A memory store that answers the way a store across the network does: on a later turn of
 * the event loop. The profile of memory mode under load (BENCHMARKS.md section 1) found its
 * extra cost per turn in no store but in the turns themselves: each ran from request to reply
 * without a pause, one after another, paying every fixed cost alone, where on Redis the turns
 * of many conversations wait together and go through each stage as a batch. Answering on the
 * next loop turn gives memory mode the same rhythm (user CPU per FAQ turn at 100
 * conversations 2.0 → 1.6 ms, turns per second +28 %) at a cost of microseconds per call.
 */
export function answeringLater<T extends object>(store: T): T {
  // One wrapper per method, made on first use: a store's methods are called on every turn.
  const wrapped = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  return new Proxy(store, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (typeof member !== 'function') return member;
      const known = wrapped.get(key);
      if (known) return known;
      const wrapper = (...args: unknown[]): unknown => {
        const result: unknown = (member as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        // Handled at once (a rejection is never "unhandled" while it waits), settled on the next loop turn.
        return new Promise((resolve, reject) => {
          result.then(
            (value: unknown) => setImmediate(resolve, value),
            (error: unknown) => setImmediate(reject, error),
          );
        });
      };
      wrapped.set(key, wrapper);
      return wrapper;
    },
  });
}
