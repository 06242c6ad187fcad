import type { Router } from '../../knowledge/route';
import { createRootMachine } from '../../dialogs/root/machine';
import { answerValuesOf } from '../answerValues';
import type { Config } from '../config';
import type { Platform } from '../services/platform';
import { createFlows } from './flowActors';
import { TurnRunner } from './turnRunner';

export interface ConversationCoreDeps {
  config: Config;
  /** The knowledge base the answers come from (the server's follows reloads). */
  router: Router;
  platform: Platform;
  handoff: Parameters<typeof createRootMachine>[0]['handoff'];
}

/**
 * The conversation core — the root machine with its flows wired to the platform, behind the
 * turn runner — assembled once, for the server and for the tests that drive it turn by turn.
 */
export function createConversationCore({ config, router, platform, handoff }: ConversationCoreDeps): TurnRunner {
  const machine = createRootMachine({
    entry: (id, locale) => router.entry(id, locale),
    answerValues: answerValuesOf(config),
    flows: createFlows(platform, { maxUploadBytes: config.DIRECTLINE_MAX_UPLOAD_BYTES }),
    handoff,
  });
  return new TurnRunner(machine, router, config.DEFAULT_LOCALE, config.FLOW_IDLE_TIMEOUT_S * 1000, config.MAX_MESSAGE_CHARS);
}
