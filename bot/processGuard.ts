import type { Logger } from './logger';

/**
 * The last line of defence: an error that escaped every request handler (a throw in an
 * event callback, a promise nobody awaited) is logged and counted, and the process keeps
 * serving everyone else. Handlers are written so this never fires; when it does, the log
 * says where to fix it. Only start-up failures and signals end the process.
 */
export function guardProcess(logger: Logger, counted: (kind: 'exception' | 'rejection') => void = () => undefined): () => void {
  const onException = (error: Error) => {
    counted('exception');
    logger.error({ err: error }, 'uncaught exception: the request it came from failed, the process keeps serving');
  };
  const onRejection = (reason: unknown) => {
    counted('rejection');
    logger.error({ err: reason }, 'unhandled rejection: the request it came from failed, the process keeps serving');
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
