import type { Logger } from '../logger';
import type { InsightsRecorder } from './insights';

/**
 * The recorder as turns and handoffs use it: a counter that cannot be written (Redis slow or
 * down) is logged and lost, never the user's turn or the agent's action.
 */
export function recordSafely(recorder: InsightsRecorder, logger: Logger): InsightsRecorder {
  return {
    async record(event, at) {
      try {
        await recorder.record(event, at);
      } catch (error) {
        logger.warn({ err: error, insight: event.kind }, 'insights counter not recorded');
      }
    },
    read: (dates) => recorder.read(dates),
  };
}
