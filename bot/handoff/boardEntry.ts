import type { Handoff, TranscriptEntry } from '../../domain/handoff';
import { maskText } from '../../domain/mask';

/** How many characters of the user's first words a list entry shows. */
const PREVIEW_CHARS = 24;

/**
 * What tells one chat in the console's lists from another: the user's masked number when a
 * flow learnt it, else their first words in this chat (masked); and since when the user has
 * been waiting for a reply, when their line is the last one. Pure, from the handoff and its
 * transcript.
 */
export function boardEntryHints(handoff: Handoff, transcript: readonly TranscriptEntry[]): { preview?: string; waitingSince?: number } {
  const theirs = transcript.filter((entry) => entry.from === 'user' && entry.text.trim() !== '');
  const words = theirs.find((entry) => entry.at >= handoff.createdAt - 60 * 60_000) ?? theirs[0];
  const preview = handoff.context.trail?.maskedPhone ?? (words ? [...maskText(words.text.trim())].slice(0, PREVIEW_CHARS).join('') : undefined);
  const since = handoff.claimedAt ?? handoff.createdAt;
  const lastReply = Math.max(since, ...transcript.filter((entry) => entry.from !== 'user').map((entry) => entry.at));
  const unanswered = transcript.filter((entry) => entry.from === 'user' && entry.at > lastReply);
  return { ...(preview ? { preview } : {}), ...(unanswered[0] ? { waitingSince: unanswered[0].at } : {}) };
}
