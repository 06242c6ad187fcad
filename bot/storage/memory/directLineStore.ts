import { EventEmitter } from 'node:events';
import type { Activity } from 'botbuilder';
import { ExpiringMap, sweepInterval } from '../expiringMap';
import type { StateTtl } from '../stateTtl';
import {
  activityId,
  byTheUser,
  MAX_ACTIVITIES_PER_CONVERSATION,
  type ActivitySet,
  type DirectLineConversation,
  type DirectLineStore,
  type StoredAttachment,
  type UploadCaps,
} from '../../channels/directline/store';

interface Log {
  conversation: DirectLineConversation;
  /** Watermark of activities[0]: older ones were trimmed. */
  offset: number;
  /** Each activity as JSON text, as Redis keeps it: compact, and every read is a copy. */
  activities: string[];
  /** Bytes uploaded in the conversation: a quota, so files dropped later still count. */
  uploadedBytes: number;
  /** Its files, dropped with it when it expires. */
  attachmentIds: string[];
}

/** All in this process's memory: the default, for one instance. Idle conversations expire as in Redis, with their files. */
export class MemoryDirectLineStore implements DirectLineStore {
  private readonly logs: ExpiringMap<string, Log>;
  private readonly attachments = new Map<string, StoredAttachment & { conversationId: string }>();
  private attachmentBytes = 0;
  private readonly events = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly ttl: StateTtl,
    private readonly caps: UploadCaps,
    now: () => number = Date.now,
  ) {
    this.logs = new ExpiringMap(sweepInterval(ttl.anonymousS * 1000), now, (_, log) => {
      for (const id of log.attachmentIds) this.dropAttachment(id);
    });
  }

  /** Conversations and files held, expired ones not yet swept included (for tests and footprint checks). */
  get held(): { conversations: number; attachments: number } {
    return { conversations: this.logs.size, attachments: this.attachments.size };
  }

  async create(conversation: DirectLineConversation): Promise<boolean> {
    if (this.logs.has(conversation.id)) return false;
    this.logs.set(conversation.id, { conversation: { ...conversation }, offset: 0, activities: [], uploadedBytes: 0, attachmentIds: [] }, this.ttl.anonymousS * 1000);
    return true;
  }

  async get(id: string): Promise<DirectLineConversation | undefined> {
    const log = this.logs.get(id);
    return log && { ...log.conversation };
  }

  /** Appends with the next id (`<conversation>|<seq>`); returns the stored activity. */
  async append(conversationId: string, activity: Partial<Activity>): Promise<Partial<Activity>> {
    const log = this.logs.get(conversationId);
    if (!log) throw new Error(`unknown conversation ${conversationId}`);
    const seq = log.offset + log.activities.length;
    const json = JSON.stringify({ ...activity, id: activityId(conversationId, seq) });
    log.activities.push(json);
    if (log.activities.length > MAX_ACTIVITIES_PER_CONVERSATION) {
      log.activities.shift();
      log.offset++;
    }
    if (byTheUser(activity)) this.logs.touch(conversationId, this.ttl.engagedS * 1000, 'reset');
    else this.logs.touch(conversationId, this.ttl.anonymousS * 1000, 'extend');
    // Each listener and the caller get their own copy, as they would from Redis.
    const copy = () => JSON.parse(json) as Partial<Activity>;
    for (const listener of this.events.listeners(conversationId) as ((set: ActivitySet) => void)[]) listener({ activities: [copy()], watermark: String(seq + 1) });
    return copy();
  }

  /** Activities after the watermark (all when it is missing or unreadable). */
  async since(conversationId: string, watermark: string | undefined): Promise<ActivitySet> {
    const log = this.logs.get(conversationId);
    if (!log) return { activities: [], watermark: '0' };
    const from = Number.parseInt(watermark ?? '', 10);
    const start = Number.isFinite(from) && from > log.offset ? from - log.offset : 0;
    return { activities: log.activities.slice(start).map((json) => JSON.parse(json) as Partial<Activity>), watermark: String(log.offset + log.activities.length) };
  }

  /** Calls `listener` with each new activity of the conversation until unsubscribed. */
  subscribe(conversationId: string, listener: (set: ActivitySet) => void): () => void {
    this.events.on(conversationId, listener);
    return () => this.events.off(conversationId, listener);
  }

  async putAttachment(conversationId: string, id: string, attachment: StoredAttachment): Promise<boolean> {
    const log = this.logs.get(conversationId);
    if (!log || log.uploadedBytes + attachment.data.length > this.caps.conversationBytes) return false;
    log.uploadedBytes += attachment.data.length;
    this.dropAttachment(id);
    this.attachments.set(id, { ...attachment, conversationId });
    log.attachmentIds.push(id);
    this.attachmentBytes += attachment.data.length;
    // Maps iterate in insertion order: the first keys are the oldest uploads.
    for (const oldId of this.attachments.keys()) {
      if (this.attachmentBytes <= this.caps.totalBytes || oldId === id) break;
      this.dropAttachment(oldId);
    }
    return true;
  }

  private dropAttachment(id: string): void {
    const attachment = this.attachments.get(id);
    if (!attachment) return;
    this.attachments.delete(id);
    this.attachmentBytes -= attachment.data.length;
  }

  /** A file lives as long as its conversation (then it is gone, as in Redis). */
  async getAttachment(id: string): Promise<StoredAttachment | undefined> {
    const attachment = this.attachments.get(id);
    if (!attachment) return undefined;
    if (this.logs.has(attachment.conversationId)) return attachment;
    this.dropAttachment(id);
    return undefined;
  }
}
