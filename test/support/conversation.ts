import pino from 'pino';
import { createFlows } from '../../bot/conversation/flowActors';
import { TurnRunner, type TurnInput, type TurnOutcome } from '../../bot/conversation/turnRunner';
import { DemoDirectory } from '../../bot/services/demoDirectory';
import { MemoryOtpStore, OtpService } from '../../bot/services/otp';
import type { Platform } from '../../bot/services/platform';
import { ConsoleSmsOutbox } from '../../bot/services/sms';
import { createRootMachine } from '../../dialogs/rootMachine';
import { realKnowledge } from './knowledge';

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
 * The conversation core driven turn by turn, the way the bot does it: every snapshot goes
 * through JSON (as it does through conversation state) before the next turn.
 */
export class Conversation {
  private snapshot: unknown;
  readonly runner: TurnRunner;

  constructor(
    private readonly channelLocale?: 'zh-CN' | 'en-US',
    readonly platform: Platform = demoPlatform().platform,
  ) {
    const { router } = realKnowledge();
    const machine = createRootMachine({ entry: (id, locale) => router.entry(id, locale), flows: createFlows(platform) });
    this.runner = new TurnRunner(machine, router, 'zh-CN');
  }

  private async turn(input: TurnInput): Promise<TurnOutcome> {
    const outcome = await this.runner.run(this.snapshot, input, this.channelLocale);
    this.snapshot = JSON.parse(JSON.stringify(outcome.snapshot));
    return outcome;
  }

  join() {
    return this.turn({ kind: 'joined' });
  }

  say(text: string) {
    return this.turn({ kind: 'message', text });
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
