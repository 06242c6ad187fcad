import type { Activity } from 'botbuilder';
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
import type { StateTtl } from '../stateTtl';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';
import { deliverEach } from './deliver';

/**
 * The embedded Direct Line on Redis: any instance can serve any conversation (tokens are
 * signed with the shared DIRECTLINE_SECRET), and new activities reach the WebSocket streams
 * of every instance over pub/sub. Ids are positions in the log, so they are not stored.
 */
export class RedisDirectLineStore implements DirectLineStore {
  private readonly listeners = new Map<string, Set<(set: ActivitySet) => void>>();
  private readonly pattern = keys.channel('directline:*');

  constructor(
    private readonly redis: RedisClient,
    subscriber: RedisClient,
    private readonly ttl: StateTtl,
    private readonly caps: UploadCaps,
  ) {
    withScripts(redis);
    // The subscriber connection waits for Redis (also at start-up); it fails only when closed.
    subscriber.psubscribe(this.pattern).catch(() => undefined);
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      if (pattern !== this.pattern) return;
      const conversationId = channel.slice(keys.channel('directline:').length);
      const listeners = this.listeners.get(conversationId);
      if (listeners) deliverEach(listeners, JSON.parse(message) as ActivitySet);
    });
  }

  private key(conversationId: string, part: string) {
    return keys.conversation(`directline:${conversationId}`, `dl:${part}`);
  }

  async create(conversation: DirectLineConversation) {
    return (await this.redis.set(this.key(conversation.id, 'meta'), JSON.stringify(conversation), 'EX', this.ttl.anonymousS, 'NX')) === 'OK';
  }

  async get(id: string) {
    const raw = await this.redis.get(this.key(id, 'meta'));
    return raw ? (JSON.parse(raw) as DirectLineConversation) : undefined;
  }

  async append(conversationId: string, activity: Partial<Activity>) {
    // The id is the position in the log, given on the way out.
    const rest = { ...activity, id: undefined };
    const user = byTheUser(activity);
    const seq = await this.redis.kefuDirectLineAppend(
      this.key(conversationId, 'log'),
      this.key(conversationId, 'offset'),
      this.key(conversationId, 'meta'),
      JSON.stringify(rest),
      MAX_ACTIVITIES_PER_CONVERSATION,
      user ? this.ttl.engagedS : this.ttl.anonymousS,
      user ? '1' : '0',
    );
    if (seq < 0) throw new Error(`unknown conversation ${conversationId}`);
    const stored = { ...rest, id: activityId(conversationId, seq) };
    await this.redis.publish(keys.channel(`directline:${conversationId}`), JSON.stringify({ activities: [stored], watermark: String(seq + 1) } satisfies ActivitySet));
    return stored;
  }

  async since(conversationId: string, watermark: string | undefined) {
    const [offsetRaw, log] = await Promise.all([this.redis.get(this.key(conversationId, 'offset')), this.redis.lrange(this.key(conversationId, 'log'), 0, -1)]);
    const offset = Number(offsetRaw ?? 0);
    const from = Number.parseInt(watermark ?? '', 10);
    const start = Number.isFinite(from) && from > offset ? from - offset : 0;
    const activities = log.slice(start).map((raw, i) => ({ ...(JSON.parse(raw) as Partial<Activity>), id: activityId(conversationId, offset + start + i) }));
    return { activities, watermark: String(offset + log.length) };
  }

  subscribe(conversationId: string, listener: (set: ActivitySet) => void) {
    const set = this.listeners.get(conversationId) ?? new Set();
    set.add(listener);
    this.listeners.set(conversationId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  private fileKey(id: string) {
    return keys.conversation(`file:${id}`, 'file');
  }

  /**
   * A file lives as long as its conversation: both expire STATE_TTL_S after they were last
   * written, and the upload is the conversation's latest activity when the file is kept.
   */
  async putAttachment(conversationId: string, id: string, attachment: StoredAttachment) {
    const size = attachment.data.length;
    if ((await this.redis.kefuReserve(this.key(conversationId, 'uploaded'), size, this.caps.conversationBytes, this.ttl.engagedS)) !== 1) return false;
    const key = this.fileKey(id);
    await this.redis
      .multi()
      .hset(key, { contentType: attachment.contentType, name: attachment.name, data: attachment.data, sniffed: attachment.sniffed ? '1' : '0' })
      .expire(key, this.ttl.engagedS)
      .exec();
    const now = Date.now();
    const evicted = await this.redis.kefuTrackUpload(
      keys.shared('dl:files'),
      keys.shared('dl:file-sizes'),
      keys.shared('dl:file-bytes'),
      id,
      size,
      now + this.ttl.engagedS * 1000,
      now,
      this.caps.totalBytes,
    );
    // Each file has a slot of its own, so they go one by one.
    await Promise.all(evicted.map((old) => this.redis.del(this.fileKey(old))));
    return true;
  }

  async getAttachment(id: string) {
    const [contentType, name, data, sniffed] = await this.redis.hmgetBuffer(this.fileKey(id), 'contentType', 'name', 'data', 'sniffed');
    if (!contentType || !name || !data) return undefined;
    return { contentType: contentType.toString('utf8'), name: name.toString('utf8'), data, sniffed: sniffed?.toString('utf8') === '1' };
  }
}
