import { ActionTypes, ActivityTypes, type Activity } from 'botbuilder';
import type { Reply } from '../../dialogs/reply';
import type { Locale } from '../../knowledge/schema';

/** A channel-neutral reply as a Bot Framework message: Markdown text plus suggested actions. */
export function toActivity(reply: Reply, locale: Locale): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: reply.text,
    textFormat: 'markdown',
    locale,
  };
  if (reply.suggestions && reply.suggestions.length > 0) {
    activity.suggestedActions = {
      to: [],
      actions: reply.suggestions.map((s) => ({ type: ActionTypes.ImBack, title: s.title, value: s.value })),
    };
  }
  return activity;
}
