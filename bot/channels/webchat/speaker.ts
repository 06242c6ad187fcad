import type { Activity } from 'botbuilder';
import type { ConversationNotice } from '../../../domain/handoff';

/**
 * Who the web chat widget shows the user talking to, carried on each of the bot's messages
 * (`channelData.kefu`): every line reaches the widget as the bot's, so without this an agent
 * would speak under the bot's name and avatar. The page keeps the last one it saw, so a
 * reloaded conversation shows who has it now.
 */
export type WidgetSpeaker = { talkingTo: 'bot' } | { talkingTo: 'agent'; agentName: string; byAgent: boolean };

/** The top-level state of a conversation that is with a person (queued or claimed). */
const WITH_HUMAN = 'withHuman';

/**
 * From what caused the turn and the state it left: an agent who joined or wrote has the chat
 * (only a written line is theirs); a queued chat says nothing new; anything else is the bot's.
 */
export function widgetSpeaker(notice: ConversationNotice | undefined, state: string): WidgetSpeaker | undefined {
  if (notice?.type === 'handoff.claimed') return { talkingTo: 'agent', agentName: notice.agentName, byAgent: false };
  if (notice?.type === 'agent.message') return { talkingTo: 'agent', agentName: notice.agentName, byAgent: true };
  return state === WITH_HUMAN ? undefined : { talkingTo: 'bot' };
}

export function withSpeaker(activity: Partial<Activity>, speaker: WidgetSpeaker | undefined): Partial<Activity> {
  if (!speaker) return activity;
  const channelData: unknown = activity.channelData;
  return { ...activity, channelData: { ...(typeof channelData === 'object' ? channelData : {}), kefu: speaker } };
}
