import type { Activity, CloudAdapter, ConversationParameters, ConversationReference, TurnContext } from 'botbuilder';
import type { AgentsChannel, TeamsCard } from '../store';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './card';

/**
 * The Teams side of the agents' channel: posts a card as a new thread (a conversation created
 * in the channel, as TeamsInfo.sendMessageToTeamsChannel does), updates it in place, and
 * writes into its thread (the channel's conversation id with ;messageid= of the card).
 */

/** The connector client the adapter keeps in a proactive turn, as far as we use it. */
interface Conversations {
  conversations: { createConversation(parameters: ConversationParameters): Promise<{ id?: string; activityId?: string }> };
}

export interface TeamsThreadsDeps {
  adapter: CloudAdapter;
  appId: string;
  /** Counts the proactive turn as in flight, so shutdown waits for it. */
  track<T>(work: Promise<T>): Promise<T>;
}

const cardAttachment = (card: AdaptiveCard) => ({ contentType: CARD_CONTENT_TYPE, content: card });

export class TeamsThreads {
  constructor(private readonly deps: TeamsThreadsDeps) {}

  /** How Teams names a bot: 28: and its app id. */
  private get bot() {
    return { id: this.deps.appId ? `28:${this.deps.appId}` : 'kefu-bot', name: 'Kefu' };
  }

  private reference(conversation: string, serviceUrl: string, tenantId?: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversation, isGroup: true, conversationType: 'channel', name: '', ...(tenantId ? { tenantId } : {}) },
      bot: this.bot,
    };
  }

  private proactive(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.deps.track(this.deps.adapter.continueConversationAsync(this.deps.appId, reference, logic));
  }

  /** A new thread whose first message is the card. */
  async postCard(channel: AgentsChannel, card: AdaptiveCard): Promise<TeamsCard> {
    let created: { id?: string; activityId?: string } = {};
    await this.proactive(this.reference(channel.conversation, channel.serviceUrl, channel.tenantId), async (context) => {
      const connector = context.turnState.get<Conversations>(context.adapter.ConnectorClientKey);
      created = await connector.conversations.createConversation({
        isGroup: true,
        channelData: { channel: { id: channel.conversation }, ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}) },
        ...(channel.tenantId ? { tenantId: channel.tenantId } : {}),
        activity: { type: 'message', attachments: [cardAttachment(card)] } as Activity,
      } as ConversationParameters);
    });
    const activityId = created.activityId ?? /;messageid=(\d+)/.exec(created.id ?? '')?.[1];
    if (!activityId) throw new Error('Teams created no message for the card');
    return { activityId, thread: `${channel.conversation};messageid=${activityId}`, serviceUrl: channel.serviceUrl };
  }

  async updateCard(card: TeamsCard, content: AdaptiveCard): Promise<void> {
    await this.proactive(this.reference(card.thread, card.serviceUrl), async (context) => {
      await context.updateActivity({ id: card.activityId, type: 'message', attachments: [cardAttachment(content)] });
    });
  }

  /** A card in the thread: how anything holding a user's words is posted (see chatLine). */
  async show(card: TeamsCard, content: AdaptiveCard): Promise<void> {
    await this.proactive(this.reference(card.thread, card.serviceUrl), async (context) => {
      await context.sendActivity({ type: 'message', attachments: [cardAttachment(content)] });
    });
  }

  /** Words of ours only: Teams may read a message's text as Markdown whatever its textFormat says. */
  async say(card: TeamsCard, text: string): Promise<void> {
    await this.proactive(this.reference(card.thread, card.serviceUrl), async (context) => {
      await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
    });
  }
}
