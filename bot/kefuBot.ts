import { TeamsActivityHandler, TurnContext, type ConversationState, type StatePropertyAccessor } from 'botbuilder';
import { localeSchema, type Locale } from '../knowledge/schema';
import { toActivity } from './channels/render';
import type { TurnInput, TurnRunner } from './conversation/turnRunner';
import { hashId, type Logger } from './logger';
import type { KbSignalLog } from './storage/kbSignalLog';

export interface KefuBotDeps {
  conversationState: ConversationState;
  runner: TurnRunner;
  signals: KbSignalLog;
  logger: Logger;
}

/** Reads the channel's locale tag ("zh-cn", "en", "en-GB" …) as one of ours, if it is one. */
export function channelLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en-US';
  return localeSchema.safeParse(tag).success ? (tag as Locale) : undefined;
}

/**
 * The Bot Framework edge: turns activities into turn inputs, runs them, sends the replies
 * and saves the conversation. If anything throws, nothing is saved, so the conversation
 * continues from where it was before the failed turn. Teams specifics: the @mention of the
 * bot is not part of what the user said, and installing the app in a personal chat is
 * when the user meets the bot.
 */
export class KefuBot extends TeamsActivityHandler {
  private readonly snapshot: StatePropertyAccessor<unknown>;

  constructor(private readonly deps: KefuBotDeps) {
    super();
    this.snapshot = deps.conversationState.createProperty<unknown>('kefu.root');
    this.onMessage(async (context, next) => {
      const text = typeof context.activity.text === 'string' ? TurnContext.removeRecipientMention(context.activity) : undefined;
      await this.turn(context, { kind: 'message', text, value: context.activity.value, attachments: context.activity.attachments });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((member) => member.id !== botId);
      // In Teams a user "joins" by installing the app; that arrives as installationUpdate.
      if (joined && context.activity.channelId !== 'msteams') await this.turn(context, { kind: 'joined' });
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.conversation?.conversationType === 'personal') await this.turn(context, { kind: 'joined' });
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context, false);
  }

  private async turn(context: TurnContext, input: TurnInput): Promise<void> {
    const started = performance.now();
    const persisted = await this.snapshot.get(context);
    const outcome = await this.deps.runner.run(persisted, input, channelLocale(context.activity.locale));
    const destination = { channelId: context.activity.channelId, conversationType: context.activity.conversation.conversationType, locale: outcome.locale };
    for (const reply of outcome.replies) await context.sendActivity(toActivity(reply, destination));
    const conversation = hashId(context.activity.conversation.id);
    for (const signal of outcome.signals) await this.deps.signals.append(signal, conversation);
    await this.snapshot.set(context, outcome.snapshot);
    this.deps.logger.info(
      {
        conversation,
        channel: context.activity.channelId,
        event: outcome.event,
        locale: outcome.locale,
        decision: outcome.route?.decision,
        entry: outcome.route && 'entryId' in outcome.route ? outcome.route.entryId : undefined,
        flow: outcome.route?.decision === 'flow' ? outcome.route.flow : undefined,
        score: outcome.route?.results[0]?.score,
        latencyMs: Math.round(performance.now() - started),
      },
      'turn',
    );
  }
}
