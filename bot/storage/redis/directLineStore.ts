import type { Activity } from 'botbuilder';
import {
  activityId,
  MAX_ACTIVITIES_PER_CONVERSATION,
  type ActivitySet,
  type DirectLineConversation,
  type DirectLineStore,
  type StoredAttachment,
} from '../../channels/directline/store';
import { byTheUser } from '../../channels/directline/store';
import type { StateTtl } from '../stateTtl';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { withScripts } from './scripts';

const ATTACHMENT_TTL_S = 7 * 86400;

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
  ) {
    withScripts(redis);
    void subscriber.psubscribe(this.pattern);
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) => {
      if (pattern !== this.pattern) return;
      const conversationId = channel.slice(keys.channel('directline:').length);
      for (const listener of this.listeners.get(conversationId) ?? []) listener(JSON.parse(message) as ActivitySet);
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

  async putAttachment(id: string, attachment: StoredAttachment) {
    const key = keys.conversation(`file:${id}`, 'file');
    await this.redis
      .multi()
      .hset(key, { contentType: attachment.contentType, name: attachment.name, data: attachment.data })
      .expire(key, ATTACHMENT_TTL_S)
      .exec();
  }

  async getAttachment(id: string) {
    const key = keys.conversation(`file:${id}`, 'file');
    const [contentType, name, data] = await this.redis.hmgetBuffer(key, 'contentType', 'name', 'data');
    if (!contentType || !name || !data) return undefined;
    return { contentType: contentType.toString('utf8'), name: name.toString('utf8'), data };
  }
}
