/**
 * Hands a pub/sub message to every local listener. A listener that throws (a socket that
 * went away, say) must neither keep the message from the others nor escape into the Redis
 * client's event loop, where it would surface as an uncaught error.
 */
export function deliverEach<T>(listeners: Iterable<(message: T) => void>, message: T): void {
  for (const listener of listeners) {
    try {
      listener(message);
    } catch {
      // That listener's connection is gone; it unsubscribes when it closes.
    }
  }
}
