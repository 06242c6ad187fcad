import { z } from 'zod';
import { localeSchema, type Locale } from './locale';

/** The records of the human handoff, as stored and as the agent console reads them. */

export const handoffReasonSchema = z.enum([
  /** The user asked for a person (or accepted the offer after two misses or a complaint). */
  'user-request',
  'repeated-fallback',
  'complaint',
  /** The account is locked by a security alert: only a person may unlock it. */
  'security_alert',
  'old-number-unavailable',
  /** A guided flow could not finish: the person offered after three invalid answers taken, or the account system failing. */
  'flow-stuck',
]);
export type HandoffReason = z.infer<typeof handoffReasonSchema>;

export const prioritySchema = z.enum(['normal', 'high']);
export type Priority = z.infer<typeof prioritySchema>;

/**
 * Where a guided flow stands, as an agent needs to know it: what the user has done and what
 * the bot was waiting for. The console words each stage in its own language.
 */
export const flowStageSchema = z.enum([
  'askingPhone',
  /** A code was sent to the number; the user has not given the right one yet. */
  'awaitingCode',
  'lookingUpAccount',
  'unlocking',
  /** Identified by code; the account is locked by a security alert, which only a person may lift. */
  'securityLocked',
  /** The user says the old number no longer receives SMS. */
  'oldNumberLost',
  'askingNewPhone',
  'awaitingNewCode',
  'confirmingChange',
  'changingPhone',
  'askingExplanation',
  'askingFiles',
  'filingAppeal',
  'askingCaseOrPhone',
  'lookingUpCase',
  'lookingUpCases',
]);
export type FlowStage = z.infer<typeof flowStageSchema>;

/** Where a guided flow stood when the conversation left it. */
export const flowTrailSchema = z.object({
  flow: z.string(),
  /** Absent when the flow ended somewhere no stage describes (the reason says why it ended). */
  stage: flowStageSchema.optional(),
  /** Masked already (138****0002): the full number never leaves the flow. */
  maskedPhone: z.string().optional(),
  verified: z.boolean(),
  /**
   * How the flow ended, when it ended before the chat was handed over (the user finished or
   * cancelled it, then asked for a person): absent while a flow runs or hands over itself.
   */
  outcome: z.enum(['completed', 'cancelled']).optional(),
});
export type FlowTrail = z.infer<typeof flowTrailSchema>;

/** What the agent is told about the chat before reading it. */
export const handoffContextSchema = z.object({
  reason: handoffReasonSchema,
  trail: flowTrailSchema.optional(),
  /** Questions the bot could not answer in this conversation, newest last (masked). */
  misses: z.array(z.string()),
});
export type HandoffContext = z.infer<typeof handoffContextSchema>;

export const handoffStatusSchema = z.enum(['queued', 'active', 'resolved', 'cancelled', 'expired']);
export type HandoffStatus = z.infer<typeof handoffStatusSchema>;
export const OPEN_STATUSES: readonly HandoffStatus[] = ['queued', 'active'];

export const handoffSchema = z.object({
  id: z.string(),
  conversation: z.string(),
  channel: z.string(),
  locale: localeSchema,
  status: handoffStatusSchema,
  priority: prioritySchema,
  context: handoffContextSchema,
  createdAt: z.number(),
  claimedAt: z.number().optional(),
  closedAt: z.number().optional(),
  agentId: z.string().optional(),
  agentName: z.string().optional(),
  rating: z.number().int().min(1).max(5).optional(),
  /** Handed to an external contact-centre hub, not to the console's queue. */
  external: z.boolean().optional(),
  /** The queue position the user was last told, so they hear again only when it changes. */
  toldPosition: z.number().int().optional(),
});
export type Handoff = z.infer<typeof handoffSchema>;

export const attachmentSchema = z.object({ name: z.string(), contentType: z.string(), url: z.string() });

/** One line of a conversation's transcript; text is masked before it is stored. */
export const transcriptEntrySchema = z.object({
  at: z.number(),
  from: z.enum(['user', 'bot', 'agent']),
  text: z.string(),
  attachments: z.array(attachmentSchema).optional(),
  agentName: z.string().optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

export const noteSchema = z.object({ at: z.number(), agentId: z.string(), agentName: z.string(), text: z.string() });
export type Note = z.infer<typeof noteSchema>;

/** A message left for the team when nobody could take the chat. */
export const ticketSchema = z.object({
  id: z.string(),
  conversation: z.string(),
  channel: z.string(),
  locale: localeSchema,
  /** The number to call back, kept whole for the callback; shown masked. */
  contact: z.string(),
  text: z.string(),
  reason: handoffReasonSchema,
  createdAt: z.number(),
  status: z.enum(['open', 'done']),
  closedBy: z.string().optional(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** What happens to a user's conversation from outside it: delivered as a turn of its own. */
export type ConversationNotice =
  | { type: 'handoff.position'; position: number; etaMinutes: number }
  | { type: 'handoff.claimed'; agentName: string }
  | { type: 'handoff.expired' }
  | { type: 'handoff.resolved' }
  | { type: 'agent.message'; agentName: string; text: string };

/** What the agent consoles are told, to refresh what they show. */
export type ConsoleEvent = { type: 'board' } | { type: 'chat'; id: string } | { type: 'typing'; id: string };

export interface HandoffRequest {
  reason: HandoffReason;
  priority: Priority;
  locale: Locale;
  trail?: FlowTrail;
  misses: string[];
}

export type RequestResult =
  | { status: 'queued'; position: number; etaMinutes: number }
  /** Handed to an external hub, which answers with handoff.status events. */
  | { status: 'external' }
  | { status: 'with-agent'; agentName: string }
  | { status: 'unavailable'; why: 'closed' | 'no-agents'; hours: string }
  /** This client has put too many chats in the queue lately (LIMIT_HANDOFFS_PER_ADDRESS). */
  | { status: 'limited' };

/**
 * What a conversation asks of the human handoff. HandoffService implements it; the
 * conversation's machine sees nothing else.
 */
export interface HandoffPort {
  request(conversation: string, request: HandoffRequest): Promise<RequestResult>;
  /** `with-agent`: too late, a person has the chat already. */
  cancel(conversation: string): Promise<'cancelled' | 'with-agent' | 'none'>;
  position(conversation: string): Promise<{ position: number; etaMinutes: number } | undefined>;
  leaveMessage(conversation: string, message: { locale: Locale; contact: string; text: string; reason: HandoffReason }): Promise<Ticket | undefined>;
  rate(conversation: string, rating: number): Promise<void>;
  endByUser(conversation: string): Promise<void>;
}
