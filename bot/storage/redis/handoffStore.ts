import type { ConversationReference } from 'botbuilder';
import type { RedisClient } from './connection';
import { keys } from './keys';
import { deliverEach } from './deliver';
import { compareAndSet, fromFields, pairsOf, readRecord, toFields } from './records';
import { withScripts } from './scripts';
import type { StateTtl } from '../stateTtl';
import { OPEN_STATUSES, type ConsoleEvent, type Handoff, type HandoffStatus, type Note, type Ticket, type TranscriptEntry } from '../../../domain/handoff';
import { dutySchema, onDutyAt, type Duty } from '../../handoff/duty';
import { CLOSED_KEPT, RECENT_HANDLE_TIMES, type AgentsChannel, type ClaimOutcome, type ConsoleBus, type HandoffStore, type TeamsCard } from '../../handoff/store';

/** Every handoff's record is this prefix and its id (the claim script reads them all by it). */
const HANDOFF_PREFIX = keys.shared('handoff:');

const k = {
  reference: (conversation: string) => keys.conversation(conversation, 'ref'),
  transcript: (conversation: string) => keys.conversation(conversation, 'transcript'),
  handoff: (id: string) => `${HANDOFF_PREFIX}${id}`,
  openIds: keys.shared('handoffs:open'),
  openByConversation: keys.shared('handoffs:open-by-conversation'),
  /** Before 2026-12: one hash for every conversation, never trimmed; read only for chats closed by an older instance. */
  lastClosedByConversation: keys.shared('handoffs:last-closed-by-conversation'),
  lastClosed: (conversation: string) => keys.shared(`handoffs:last-closed:${conversation}`),
  closedByTime: keys.shared('handoffs:closed-by-time'),
  notes: (id: string) => keys.shared(`handoff:${id}:notes`),
  ticket: (id: string) => keys.shared(`ticket:${id}`),
  ticketIds: keys.shared('tickets'),
  presence: keys.shared('agents:presence'),
  duty: keys.shared('agents:duty'),
  handleTimes: keys.shared('handoffs:handle-times'),
  agentsChannel: keys.shared('teams:agents-channel'),
  teamsCard: (id: string) => keys.shared(`handoff:${id}:teams-card`),
  thread: (thread: string) => keys.shared(`teams:thread:${thread}`),
};

/** The handoff store on Redis, for several instances. Handoff keys share one slot ({kefu}). */
export class RedisHandoffStore implements HandoffStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly now: () => number = Date.now,
    /** References and transcripts of idle conversations go after this long (bot/storage/stateTtl.ts). */
    private readonly ttl: StateTtl = { engagedS: 30 * 86400, anonymousS: 30 * 86400 },
  ) {
    withScripts(redis);
  }

  /** How long a closed chat, its notes and a done ticket stay: as long as transcripts (the history's copy without a database). */
  private get keptS(): number {
    return this.ttl.transcriptS ?? this.ttl.engagedS;
  }

  async saveReference(conversation: string, reference: Partial<ConversationReference>) {
    await this.redis.kefuSetKept(k.reference(conversation), JSON.stringify(reference), this.ttl.anonymousS, '0');
  }

  async reference(conversation: string) {
    const raw = await this.redis.get(k.reference(conversation));
    return raw ? (JSON.parse(raw) as Partial<ConversationReference>) : undefined;
  }

  /** A line the user wrote gives the conversation's transcript and reference their full lifetime. */
  async appendTranscript(conversation: string, entries: readonly TranscriptEntry[], keep: number) {
    const user = entries.some((entry) => entry.from === 'user');
    const ttl = user ? (this.ttl.transcriptS ?? this.ttl.engagedS) : this.ttl.anonymousS;
    await this.redis.kefuAppendCapped(k.transcript(conversation), keep, ttl, user ? '1' : '0', ...entries.map((entry) => JSON.stringify(entry)));
    if (user) await this.redis.kefuKeep(k.reference(conversation), this.ttl.engagedS, '1');
  }

  async transcript(conversation: string) {
    return (await this.redis.lrange(k.transcript(conversation), 0, -1)).map((raw) => JSON.parse(raw) as TranscriptEntry);
  }

  async open(handoff: Handoff) {
    const pairs = Object.entries(toFields(handoff)).flat();
    const id = await this.redis.kefuHandoffOpen(k.openByConversation, k.openIds, k.handoff(handoff.id), handoff.conversation, handoff.id, ...pairs);
    return (await this.get(id)) ?? handoff;
  }

  async get(id: string) {
    return readRecord<Handoff>(this.redis, k.handoff(id));
  }

  async openFor(conversation: string) {
    const id = await this.redis.hget(k.openByConversation, conversation);
    return id ? this.get(id) : undefined;
  }

  async listOpen() {
    const ids = await this.redis.smembers(k.openIds);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((h): h is Handoff => h !== undefined && OPEN_STATUSES.includes(h.status));
  }

  async claim(id: string, agent: { id: string; name: string }, claimedAt: number, limit: number): Promise<ClaimOutcome> {
    const pairs = Object.entries(toFields({ status: 'active', agentId: agent.id, agentName: agent.name, claimedAt })).flat();
    const [outcome, ...record] = await this.redis.kefuHandoffClaim(k.handoff(id), k.openIds, HANDOFF_PREFIX, JSON.stringify(agent.id), Number.isFinite(limit) ? limit : -1, ...pairs);
    if (outcome === 'at-limit') return { refused: 'at-limit' };
    const claimed = outcome === 'claimed' ? fromFields<Handoff>(Object.fromEntries(pairsOf(record))) : undefined;
    return claimed ? { claimed } : { refused: 'not-queued' };
  }

  async transition(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>) {
    if (!(await compareAndSet(this.redis, k.handoff(id), 'status', from, patch))) return undefined;
    // A field the patch names as undefined is cleared, as in memory (a claim given back).
    const cleared = Object.entries(patch).flatMap(([name, value]) => (value === undefined ? [name] : []));
    if (cleared.length > 0) await this.redis.hdel(k.handoff(id), ...cleared);
    const updated = await this.get(id);
    if (updated && !OPEN_STATUSES.includes(updated.status)) {
      await this.redis.kefuHandoffClose(k.openByConversation, k.openIds, k.lastClosed(updated.conversation), updated.conversation, id, this.keptS);
      // Indexed by when it closed, the newest CLOSED_KEPT only, and each closed handoff with its
      // notes kept as long as transcripts: what Redis holds of the history never grows without bound.
      await this.redis
        .multi()
        .zadd(k.closedByTime, updated.closedAt ?? this.now(), id)
        .zremrangebyrank(k.closedByTime, 0, -CLOSED_KEPT - 1)
        .expire(k.handoff(id), this.keptS)
        .expire(k.notes(id), this.keptS)
        .exec();
    }
    return updated;
  }

  async annotate(id: string, patch: Pick<Partial<Handoff>, 'toldPosition' | 'rating'>) {
    const fields = toFields(patch);
    if (Object.keys(fields).length > 0 && (await this.redis.exists(k.handoff(id)))) await this.redis.hset(k.handoff(id), fields);
  }

  async lastClosed(conversation: string) {
    const id = (await this.redis.get(k.lastClosed(conversation))) ?? (await this.redis.hget(k.lastClosedByConversation, conversation));
    return id ? this.get(id) : undefined;
  }

  async closedSince(since: number, limit: number) {
    const ids = await this.redis.zrevrangebyscore(k.closedByTime, '+inf', since, 'LIMIT', 0, Math.min(limit, CLOSED_KEPT));
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((h): h is Handoff => h !== undefined);
  }

  async addNote(id: string, note: Note) {
    await this.redis.rpush(k.notes(id), JSON.stringify(note));
    // A note on a closed chat lives as long as the chat.
    if (await this.redis.zscore(k.closedByTime, id)) await this.redis.expire(k.notes(id), this.keptS);
  }

  async notes(id: string) {
    return (await this.redis.lrange(k.notes(id), 0, -1)).map((raw) => JSON.parse(raw) as Note);
  }

  async addTicket(ticket: Ticket) {
    await this.redis.multi().hset(k.ticket(ticket.id), toFields(ticket)).sadd(k.ticketIds, ticket.id).exec();
  }

  async tickets() {
    const ids = await this.redis.smembers(k.ticketIds);
    const found = await Promise.all(ids.map((id) => readRecord<Ticket>(this.redis, k.ticket(id))));
    // A done ticket's record expires (closeTicket); its id leaves the index here.
    const gone = ids.filter((_id, i) => found[i] === undefined);
    if (gone.length > 0) await this.redis.srem(k.ticketIds, ...gone);
    return found.filter((t): t is Ticket => t !== undefined);
  }

  async closeTicket(id: string, agentId: string) {
    if (!(await compareAndSet(this.redis, k.ticket(id), 'status', ['open'], { status: 'done', closedBy: agentId }))) return undefined;
    await this.redis.expire(k.ticket(id), this.keptS);
    return readRecord<Ticket>(this.redis, k.ticket(id));
  }

  async touchPresence(agentId: string, ttlMs: number) {
    // GT: a console's short heartbeat never cuts short a longer presence from Teams.
    await this.redis.zadd(k.presence, 'GT', this.now() + ttlMs, agentId);
  }

  async saveAgentsChannel(channel: AgentsChannel) {
    await this.redis.set(k.agentsChannel, JSON.stringify(channel));
  }

  async agentsChannel() {
    const raw = await this.redis.get(k.agentsChannel);
    return raw ? (JSON.parse(raw) as AgentsChannel) : undefined;
  }

  /** Kept as long as an engaged conversation: a thread outlives its chat by that much, then is forgotten. */
  async saveTeamsCard(handoffId: string, card: TeamsCard) {
    await this.redis
      .multi()
      .set(k.teamsCard(handoffId), JSON.stringify(card), 'EX', this.ttl.engagedS)
      .set(k.thread(card.thread), handoffId, 'EX', this.ttl.engagedS)
      .exec();
  }

  async teamsCard(handoffId: string) {
    const raw = await this.redis.get(k.teamsCard(handoffId));
    return raw ? (JSON.parse(raw) as TeamsCard) : undefined;
  }

  async handoffOfThread(thread: string) {
    return (await this.redis.get(k.thread(thread))) ?? undefined;
  }

  async setDuty(duty: Duty) {
    await this.redis.hset(k.duty, duty.agentId, JSON.stringify(duty));
  }

  async endDuty(agentId: string) {
    await this.redis.hdel(k.duty, agentId);
  }

  /** Duties past their end stay in the hash (one small field per agent) until the next 上班 or 下班 replaces them. */
  async onDuty() {
    const now = this.now();
    return Object.values(await this.redis.hgetall(k.duty))
      .map((raw) => dutySchema.safeParse(JSON.parse(raw)))
      .flatMap((parsed) => (parsed.success && onDutyAt(parsed.data, now) ? [parsed.data] : []));
  }

  async dropPresence(agentId: string) {
    await this.redis.zrem(k.presence, agentId);
  }

  async agentsOnline() {
    return this.redis.zrangebyscore(k.presence, this.now(), '+inf');
  }

  async recordHandleTime(ms: number) {
    await this.redis.multi().lpush(k.handleTimes, String(ms)).ltrim(k.handleTimes, 0, RECENT_HANDLE_TIMES - 1).exec();
  }

  async handleTimes() {
    return (await this.redis.lrange(k.handleTimes, 0, -1)).map(Number);
  }
}

/** Console updates to the consoles of every instance, over Redis pub/sub. */
export class RedisConsoleBus implements ConsoleBus {
  private readonly listeners = new Set<(event: ConsoleEvent) => void>();
  private readonly channel = keys.channel('console');

  constructor(
    private readonly redis: RedisClient,
    subscriber: RedisClient,
  ) {
    // The subscriber connection waits for Redis (also at start-up); it fails only when closed.
    subscriber.subscribe(this.channel).catch(() => undefined);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) deliverEach(this.listeners, JSON.parse(message) as ConsoleEvent);
    });
  }

  async publish(event: ConsoleEvent) {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }

  subscribe(listener: (event: ConsoleEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
