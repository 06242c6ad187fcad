import { ActionTypes, ActivityTypes, CardFactory, type Activity } from 'botbuilder';
import type { Reply } from '../../dialogs/reply';
import type { Locale } from '../../knowledge/schema';

/** Where a reply goes: the channel and, for Teams, the kind of conversation. */
export interface Destination {
  channelId: string;
  conversationType?: string;
  locale: Locale;
}

/** Teams shows at most 3 suggested actions, and only in personal chats. */
const TEAMS_MAX_SUGGESTED_ACTIONS = 3;
export const ADAPTIVE_CARD_VERSION = '1.5';

/**
 * A channel-neutral reply as a Bot Framework message. Buttons become suggested actions
 * where the channel shows them all; otherwise (and for replies meant as a card) (Teams group chats and channels, more than
 * three buttons) an Adaptive Card 1.5 whose Action.Submit sends `{ text }` back, which the
 * turn runner reads like the same words typed.
 */
export function toActivity(reply: Reply, to: Destination): Partial<Activity> {
  const suggestions = reply.suggestions ?? [];
  const base: Partial<Activity> = { type: ActivityTypes.Message, locale: to.locale };
  const text = reply.plain ? reply.text : literalMasks(reply.text);
  const textFormat = reply.plain ? 'plain' : 'markdown';
  if (suggestions.length === 0) return { ...base, text, textFormat };

  const teams = to.channelId === 'msteams';
  const suggestedActionsFit = !reply.asCard && (!teams || (to.conversationType === 'personal' && suggestions.length <= TEAMS_MAX_SUGGESTED_ACTIONS));
  if (suggestedActionsFit) {
    return {
      ...base,
      text,
      textFormat,
      suggestedActions: { to: [], actions: suggestions.map((s) => ({ type: ActionTypes.ImBack, title: s.title, value: s.value })) },
    };
  }
  return { ...base, attachments: [CardFactory.adaptiveCard(adaptiveCard(reply))] };
}

/**
 * Masked values (138****0002, 110***********1234, ******) are the only runs of four or more
 * asterisks a reply holds (domain/mask.ts); Markdown would read them as emphasis and
 * eat them ("138**0008" in bold). Escaped, every Markdown reader shows them as written.
 */
const MASK_RUN = /\*{4,}/g;

export function literalMasks(markdown: string): string {
  return markdown.replace(MASK_RUN, (run) => run.replace(/\*/g, '\\*'));
}

export function adaptiveCard(reply: Reply): Record<string, unknown> {
  // A TextBlock is always read as Markdown; a TextRun never is, so words typed by a person stay as typed.
  const body = reply.plain
    ? { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: reply.text }] }
    : { type: 'TextBlock', text: literalMasks(reply.text), wrap: true };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body: [body],
    actions: (reply.suggestions ?? []).map((s) => ({ type: 'Action.Submit', title: s.title, data: { text: s.value } })),
  };
}
