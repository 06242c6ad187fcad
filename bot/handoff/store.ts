import type { ConversationReference } from 'botbuilder';
import type { ConsoleEvent, Handoff, HandoffStatus, Note, Ticket, TranscriptEntry } from '../../domain/handoff';
import type { Duty } from './duty';

/**
 * Everything the handoff shares between bot instances: bot/storage/memory/handoffStore.ts
 * serves one process, bot/storage/redis/handoffStore.ts several; test/support/contracts/
 * holds what both promise.
 */
export interface HandoffStore {
  saveReference(conversation: string, reference: Partial<ConversationReference>): Promise<void>;
  reference(conversation: string): Promise<Partial<ConversationReference> | undefined>;

  /** Keeps the newest `keep` entries of the conversation. */
  appendTranscript(conversation: string, entries: readonly TranscriptEntry[], keep: number): Promise<void>;
  transcript(conversation: string): Promise<TranscriptEntry[]>;

  /** Stores a new open handoff unless the conversation has one; returns the one it has. */
  open(handoff: Handoff): Promise<Handoff>;
  get(id: string): Promise<Handoff | undefined>;
  openFor(conversation: string): Promise<Handoff | undefined>;
  /** Queued and active handoffs. */
  listOpen(): Promise<Handoff[]>;
  /**
   * A queued handoff becomes the agent's, unless the agent already has `limit` active
   * chats: the count and the claim are one step, so an agent's claims arriving at once
   * (two tabs, a double click, two instances) never take it past the limit.
   */
  claim(id: string, agent: { id: string; name: string }, claimedAt: number, limit: number): Promise<ClaimOutcome>;
  /** Compare-and-set: applies `patch` only while the status is one of `from`. */
  transition(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>): Promise<Handoff | undefined>;
  /** Sets fields that are not the status (told position, rating). */
  annotate(id: string, patch: Pick<Partial<Handoff>, 'toldPosition' | 'rating'>): Promise<void>;
  /** The most recent closed handoff of a conversation, for the rating that follows. */
  lastClosed(conversation: string): Promise<Handoff | undefined>;
  /**
   * Handoffs closed at or after `since`, newest first, at most `limit`: the history and the
   * supervisor's day. The store remembers the newest CLOSED_KEPT of them.
   */
  closedSince(since: number, limit: number): Promise<Handoff[]>;

  addNote(id: string, note: Note): Promise<void>;
  notes(id: string): Promise<Note[]>;

  addTicket(ticket: Ticket): Promise<void>;
  tickets(): Promise<Ticket[]>;
  closeTicket(id: string, agentId: string): Promise<Ticket | undefined>;

  /** Agents with a console open or active in the Teams agents' channel: each touch keeps one online for at least `ttlMs` (never shortens). */
  touchPresence(agentId: string, ttlMs: number): Promise<void>;
  dropPresence(agentId: string): Promise<void>;
  agentsOnline(): Promise<string[]>;
  /** An agent on duty from Teams (上班), replacing any duty they had; ended by endDuty (下班) or by its `until`. */
  setDuty(duty: Duty): Promise<void>;
  endDuty(agentId: string): Promise<void>;
  /** The duties that still hold now. */
  onDuty(): Promise<Duty[]>;

  /** Where the Teams agents' channel is, once an agent chose it there (`kefu agents here`). */
  saveAgentsChannel(channel: AgentsChannel): Promise<void>;
  agentsChannel(): Promise<AgentsChannel | undefined>;
  /** A handoff's card in the Teams agents' channel; found again by handoff or by its thread, on any instance. */
  saveTeamsCard(handoffId: string, card: TeamsCard): Promise<void>;
  teamsCard(handoffId: string): Promise<TeamsCard | undefined>;
  handoffOfThread(thread: string): Promise<string | undefined>;

  /** Handle times of the newest RECENT_HANDLE_TIMES resolved chats (in no particular order), for the estimated wait. */
  recordHandleTime(ms: number): Promise<void>;
  handleTimes(): Promise<number[]>;
}

/** What a claim came to: the chat, or why not (no longer queued, or the agent at the limit). */
export type ClaimOutcome = { claimed: Handoff } | { refused: 'not-queued' | 'at-limit' };

/** The Teams channel agents work in (bot/handoff/teamsAgents). */
export interface AgentsChannel {
  /** The channel's conversation id, 19:…@thread.tacv2 (no ;messageid=). */
  conversation: string;
  serviceUrl: string;
  tenantId?: string;
}

/** The card a handoff was posted as, and the thread under it where its chat is relayed. */
export interface TeamsCard {
  activityId: string;
  /** The thread's conversation id: the channel's, with ;messageid= of the card. */
  thread: string;
  serviceUrl: string;
}

/** Fan-out of console updates to every instance's open consoles. */
export interface ConsoleBus {
  publish(event: ConsoleEvent): Promise<void>;
  subscribe(listener: (event: ConsoleEvent) => void): () => void;
}

/** How many closed handoffs the store indexes for the history and the day's figures. */
export const CLOSED_KEPT = 5000;

/** How many handle times the store keeps: the estimated wait follows the recent ones. */
export const RECENT_HANDLE_TIMES = 20;
