import { ActionTypes, ActivityTypes, CardFactory, type Activity } from 'botbuilder';
import type { Reply, Suggestion } from '../../dialogs/reply';
import type { Locale } from '../../knowledge/schema';
import { inertMarkdown } from './inertMarkdown';

/** Where a reply goes: the channel and, for Teams, the kind of conversation. */
export interface Destination {
  channelId: string;
  conversationType?: string;
  locale: Locale;
  /** Hosts the bot's words may link to (KB_LINK_HOSTS); any other link is shown as its words. */
  linkHosts: readonly string[];
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
  const teams = to.channelId === 'msteams';
  const suggestions = teams ? withinTeamsSlots(reply.suggestions ?? []) : (reply.suggestions ?? []);
  const base: Partial<Activity> = { type: ActivityTypes.Message, locale: to.locale };
  const text = reply.plain ? reply.text : inertMarkdown(literalMasks(reply.text), to.linkHosts);
  const textFormat = reply.plain ? 'plain' : 'markdown';
  if (suggestions.length === 0) return { ...base, text, textFormat };

  const suggestedActionsFit = !reply.asCard && (!teams || (to.conversationType === 'personal' && suggestions.length <= TEAMS_MAX_SUGGESTED_ACTIONS));
  if (suggestedActionsFit) {
    return {
      ...base,
      text,
      textFormat,
      suggestedActions: { to: [], actions: suggestions.map((s) => ({ type: ActionTypes.ImBack, title: s.title, value: s.value })) },
    };
  }
  return { ...base, attachments: [CardFactory.adaptiveCard(adaptiveCard(reply, to.linkHosts))] };
}

/** Teams' few suggested-action slots: buttons that are extra (said in the text too) fill only what is left. */
function withinTeamsSlots(suggestions: readonly Suggestion[]): Suggestion[] {
  let room = TEAMS_MAX_SUGGESTED_ACTIONS - suggestions.filter((s) => !s.extra).length;
  return suggestions.filter((s) => !s.extra || room-- > 0);
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

/**
 * What a person typed, on one line: a line break becomes a visible ↵, so a user cannot start
 * a line of their own that looks like the bot's (a fake "号码验证：已通过…" under their message);
 * controls and bidi overrides (which reorder what is shown) are dropped, tabs become spaces.
 * The agent console does the same in the browser (bot/ui/public/userText.js, shared by the console and the knowledge desk).
 */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const UNSHOWN = /[\u0000-\u0008\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function oneLine(text: string): string {
  return text.replace(LINE_BREAK, ' ↵ ').replace(/\t/g, ' ').replace(UNSHOWN, '');
}

export type TextRunStyle = { weight?: 'Bolder'; color?: 'Accent' | 'Good' | 'Attention'; isSubtle?: boolean; italic?: boolean };

/** Text in an Adaptive Card as written: a TextBlock is always read as Markdown, a TextRun never is. */
export function textRun(text: string, style: TextRunStyle = {}): Record<string, unknown> {
  return { type: 'TextRun', text, ...style };
}

export function adaptiveCard(reply: Reply, linkHosts: readonly string[]): Record<string, unknown> {
  // Words typed by a person stay as typed: a TextRun (see textRun), not Markdown.
  const body = reply.plain ? { type: 'RichTextBlock', inlines: [textRun(reply.text)] } : { type: 'TextBlock', text: inertMarkdown(literalMasks(reply.text), linkHosts), wrap: true };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body: [body],
    actions: (reply.suggestions ?? []).map((s) => ({ type: 'Action.Submit', title: s.title, data: { text: s.value } })),
  };
}
