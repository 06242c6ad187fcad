import type { Activity } from 'botbuilder';

/** One Direct Line conversation: who may use it and everything said in it, in order. */
export interface DirectLineConversation {
  id: string;
  userId: string;
  createdAt: string;
}

export interface ActivitySet {
  activities: Partial<Activity>[];
  watermark: string;
}

export interface StoredAttachment {
  /** Sniffed from the bytes at upload, never the uploader's claim. */
  contentType: string;
  name: string;
  data: Buffer;
  /** False for files stored before types were sniffed: they are only ever served as downloads. */
  sniffed: boolean;
}

/** How much the uploads may hold: one conversation's quota, and all files together (the oldest go first). */
export interface UploadCaps {
  conversationBytes: number;
  totalBytes: number;
}

/**
 * The embedded Direct Line's conversations, their activity logs and uploaded files.
 * Watermarks count activities since the start of the conversation, so a client that
 * reconnects with one gets exactly what it missed — on any instance. Kept in memory
 * (bot/storage/memory/directLineStore.ts) or Redis (bot/storage/redis/directLineStore.ts).
 */
export interface DirectLineStore {
  /** False when the conversation exists already. */
  create(conversation: DirectLineConversation): Promise<boolean>;
  get(id: string): Promise<DirectLineConversation | undefined>;
  /** Appends with the next id (`<conversation>|<seq>`); returns the stored activity. */
  append(conversationId: string, activity: Partial<Activity>): Promise<Partial<Activity>>;
  /** Activities after the watermark (all when it is missing or unreadable). */
  since(conversationId: string, watermark: string | undefined): Promise<ActivitySet>;
  /** Calls `listener` with each new activity of the conversation until unsubscribed. */
  subscribe(conversationId: string, listener: (set: ActivitySet) => void): () => void;
  /** Keeps a file of the conversation; false (and nothing kept) when that would pass the conversation's quota. */
  putAttachment(conversationId: string, id: string, attachment: StoredAttachment): Promise<boolean>;
  getAttachment(id: string): Promise<StoredAttachment | undefined>;
}

export const MAX_ACTIVITIES_PER_CONVERSATION = 1000;

/** A message the user wrote: what gives a conversation its full lifetime (bot/storage/stateTtl.ts). */
export const byTheUser = (activity: Partial<Activity>) => activity.type === 'message' && activity.from?.role === 'user';

/** The id of the activity at position `seq` of a conversation. */
export const activityId = (conversationId: string, seq: number) => `${conversationId}|${String(seq).padStart(7, '0')}`;
