import pino from 'pino';
import { readMobile } from '../../dialogs/flows/input';
import { figuresOf, judge, type ConversationFigures, type ConversationResult, type ScriptedConversation } from '../../knowledge/conversationEval';
import type { Router } from '../../knowledge/route';
import type { Locale } from '../../knowledge/schema';
import type { Config } from '../config';
import { createConversationCore } from '../conversation/core';
import type { TurnInput, TurnOutcome } from '../conversation/turnRunner';
import { createHandoffService } from '../handoff/wiring';
import { createPlatform } from '../services/platform';
import { MemoryConsoleBus, MemoryHandoffStore } from '../storage/memory/handoffStore';
import { MemoryThrottle } from '../storage/memory/throttle';

/**
 * Plays scripted conversations through the real conversation core — the root machine, its
 * flows, the demo platform with its SMS outbox, the handoff service on a memory store — each
 * on a fresh platform, the way a new user meets the bot. `{code}` in a user turn is the code
 * the bot just sent. When the bot asks its own question where the set expects the answer
 * ("您是想问「X」吗？"), the runner says yes (or picks the option) and the turn counts as lenient.
 */
export async function runConversations(scripts: readonly ScriptedConversation[], locale: Locale, router: Router, config: Config): Promise<{ results: ConversationResult[]; figures: ConversationFigures }> {
  const results: ConversationResult[] = [];
  for (const script of scripts) results.push(await runOne(script, locale, router, config));
  return { results, figures: figuresOf(results) };
}

const YES: Record<Locale, string> = { 'zh-CN': '是的', 'en-US': 'yes' };

async function runOne(script: ScriptedConversation, locale: Locale, router: Router, config: Config): Promise<ConversationResult> {
  const logger = pino({ level: 'silent' });
  const platform = createPlatform(config, logger);
  const handoff = createHandoffService(config, {
    store: new MemoryHandoffStore(),
    bus: new MemoryConsoleBus(),
    notify: async () => undefined,
    typingThrottle: new MemoryThrottle(),
    logger,
  });
  const runner = createConversationCore({ config, router, platform, handoff });
  const key = `eval:${script.id}`;
  let snapshot: unknown;
  const turn = async (input: TurnInput): Promise<TurnOutcome> => {
    const outcome = await runner.run(snapshot, input, { conversation: key, channelLocale: locale });
    snapshot = JSON.parse(JSON.stringify(outcome.snapshot)) as unknown;
    return outcome;
  };
  let before = await turn({ kind: 'joined' });
  const phones: string[] = [];
  const turns: ConversationResult['turns'] = [];
  for (const scripted of script.turns) {
    const text = scripted.user.includes('{code}') ? scripted.user.replaceAll('{code}', latestCode(platform.dev?.outbox, phones)) : scripted.user;
    const phone = readMobile(text);
    if (phone) phones.push(phone);
    const outcome = await turn({ kind: 'message', text });
    const verdict = judge(scripted, {
      did: outcome.did,
      inFlowBefore: before.state === 'inFlow',
      inFlowAfter: outcome.state === 'inFlow',
      stageBefore: before.stage,
      stageAfter: outcome.stage,
      stateAfter: outcome.state,
      buttons: outcome.replies.flatMap((r) => r.suggestions?.map((s) => s.title) ?? []),
    });
    turns.push({ user: scripted.user, expected: scripted.expect, verdict });
    before = outcome;
    if (verdict.followUp) before = await turn({ kind: 'message', text: verdict.followUp === 'yes' ? YES[locale] : String(verdict.followUp.option) });
  }
  return { id: script.id, kind: script.kind, turns, strict: turns.every((t) => t.verdict.strict), lenient: turns.every((t) => t.verdict.lenient) };
}

/** The newest code sent to any number the user typed, as they would read it off their phone. */
function latestCode(outbox: { messagesTo(phone: string): { code: string | null; sentAt: string }[] } | undefined, phones: readonly string[]): string {
  const sent = phones.flatMap((phone) => outbox?.messagesTo(phone) ?? []).filter((m) => m.code);
  sent.sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  return sent[0]?.code ?? '000000';
}
