import crypto from 'node:crypto';
import pino from 'pino';
import { loadConfig, type Config } from '../../bot/config';
import { createConversationCore } from '../../bot/conversation/core';
import type { ConversationNotice } from '../../domain/handoff';
import { MemoryConsoleBus, MemoryHandoffStore } from '../../bot/storage/memory/handoffStore';
import { createHandoffService } from '../../bot/handoff/wiring';
import type { TurnInput, TurnOutcome, TurnRunner } from '../../bot/conversation/turnRunner';
import { DemoDirectory } from '../../bot/services/demoDirectory';
import { OtpService } from '../../bot/services/otp';
import { MemoryOtpStore } from '../../bot/storage/memory/otpStore';
import { MemoryThrottle } from '../../bot/storage/memory/throttle';
import type { Platform } from '../../bot/services/platform';
import { ConsoleSmsOutbox } from '../../bot/services/sms';
import { realKnowledge } from './knowledge';

/** The configuration the conversation tests run on: the defaults (open 24/7, zh-CN first). */
export const DEFAULT_CONFIG: Config = loadConfig({});
/** The flows' file rules as a default configuration states them. */
export const FILE_RULES = { maxUploadBytes: DEFAULT_CONFIG.DIRECTLINE_MAX_UPLOAD_BYTES };

/** The embedded platform as the tests use it: demo directory, dev outbox, codes. */
export function demoPlatform(now: () => number = Date.now) {
  const directory = new DemoDirectory(() => new Date(now()));
  const outbox = new ConsoleSmsOutbox(pino({ level: 'silent' }));
  const otpStore = new MemoryOtpStore(now);
  const platform: Platform = {
    accounts: directory,
    sms: outbox,
    otp: new OtpService(otpStore, outbox, 'test-otp-secret-of-at-least-32-characters', now),
    dev: { outbox, otpStore, directory },
  };
  return { platform, directory, outbox };
}

/**
 * The human side of the handoff for conversation tests: the real service on an in-memory
 * store, as `config` describes it (by default open 24/7), whose notices (agent joined, wrote,
 * resolved …) reach the registered conversations as turns, the way proactive messages do.
 */
export function helpDesk(now: () => number = Date.now, admit?: () => Promise<boolean>, config: Config = DEFAULT_CONFIG) {
  const store = new MemoryHandoffStore(now);
  const conversations = new Map<string, Conversation>();
  const service = createHandoffService(config, {
    store,
    bus: new MemoryConsoleBus(),
    typingThrottle: new MemoryThrottle(now),
    notify: async (conversation, notice) => {
      await conversations.get(conversation)?.notice(notice);
    },
    logger: pino({ level: 'silent' }),
    now,
    admit,
  });
  const wang = { id: 'wang', name: '小王' };
  return { store, service, conversations, wang, agentOnline: () => service.agentOnline(wang) };
}

export type HelpDesk = ReturnType<typeof helpDesk>;

/**
 * The conversation core driven turn by turn, the way the bot does it: every snapshot goes
 * through JSON (as it does through conversation state) before the next turn.
 */
export class Conversation {
  private snapshot: unknown;
  readonly runner: TurnRunner;
  readonly key = `test:${crypto.randomUUID()}`;
  /** What the bot said in turns the user did not start (notices), oldest first. */
  readonly pushed: TurnOutcome[] = [];

  constructor(
    private readonly channelLocale?: 'zh-CN' | 'en-US',
    readonly platform: Platform = demoPlatform().platform,
    readonly desk: HelpDesk = helpDesk(),
  ) {
    this.runner = createConversationCore({ config: DEFAULT_CONFIG, router: realKnowledge().router, platform, handoff: desk.service });
    desk.conversations.set(this.key, this);
  }

  private async turn(input: TurnInput, idleMs?: number): Promise<TurnOutcome> {
    const outcome = await this.runner.run(this.snapshot, input, { conversation: this.key, channelLocale: this.channelLocale, idleMs });
    this.snapshot = JSON.parse(JSON.stringify(outcome.snapshot));
    return outcome;
  }

  async notice(notice: ConversationNotice): Promise<TurnOutcome> {
    const outcome = await this.turn({ kind: 'notice', notice });
    this.pushed.push(outcome);
    return outcome;
  }

  join() {
    return this.turn({ kind: 'joined' });
  }

  say(text: string) {
    return this.turn({ kind: 'message', text });
  }

  /** The user comes back after `idleMs` and says `text`. */
  sayAfter(idleMs: number, text: string) {
    return this.turn({ kind: 'message', text }, idleMs);
  }

  submit(value: unknown) {
    return this.turn({ kind: 'message', value });
  }

  /** Files sent with no text, as Web Chat's upload button and Teams do. */
  submitFiles(attachments: { name: string; contentType: string; contentUrl: string }[]) {
    return this.turn({ kind: 'message', attachments });
  }

  get state(): unknown {
    return (this.snapshot as { value?: unknown } | undefined)?.value;
  }

  /** The machine's context as stored (the handoff's reason, the flow's trail …). */
  get context(): Record<string, unknown> {
    return (this.snapshot as { context?: Record<string, unknown> } | undefined)?.context ?? {};
  }
}

export const text = (o: TurnOutcome) => o.replies.map((r) => r.text).join('\n');
export const buttons = (o: TurnOutcome) => o.replies.flatMap((r) => r.suggestions?.map((s) => s.title) ?? []);

/**
 * A chat on a fresh demo platform with a clock the test moves (Monday 23 Nov 2026, 10:00 in
 * China), and the way a user reads the latest code from their SMS.
 */
export function flowChat() {
  const clock = { ms: Date.parse('2026-11-23T10:00:00+08:00') };
  const demo = demoPlatform(() => clock.ms);
  const chat = new Conversation('zh-CN', demo.platform);
  const codeFor = (phone: string) => demo.outbox.messagesTo(phone).find((m) => m.code)?.code ?? '';
  return { clock, chat, codeFor, ...demo };
}
