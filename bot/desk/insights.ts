import { z } from 'zod';
import { handoffReasonSchema, type HandoffReason } from '../../domain/handoff';
import { maskText } from '../../domain/mask';
import { normalize } from '../../knowledge/text';

/**
 * The knowledge desk's Insights: daily counters of what the bot already notices (a
 * conversation starting, a fallback, a vote, a handoff, a rating), never raw logs. Days are
 * China-time dates, as in ticket and case ids.
 */

const DAY_MS = 86_400_000;
/** China has had no daylight saving since 1991: a fixed offset is exact. */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The China-time date (YYYY-MM-DD) of an instant. */
export function chinaDay(at: number): string {
  return new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The `count` China-time dates ending today, oldest first. */
export function lastDays(count: number, now: number): string[] {
  return Array.from({ length: count }, (_, i) => chinaDay(now - (count - 1 - i) * DAY_MS));
}

/** When a day's counters may go: `keepDays` after that China-time day began (epoch ms). */
export function dayExpiresAt(day: string, keepDays: number): number {
  return Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS + keepDays * DAY_MS;
}

/** Whether a day is among the `keepDays` most recent ones (today included). */
export function dayKept(day: string, keepDays: number, now: number): boolean {
  return dayExpiresAt(day, keepDays) > now;
}

/** Something the bot noticed that Insights counts. */
export type InsightsEvent =
  /** The user wrote for the first time in a conversation. */
  | { kind: 'conversation' }
  /** A person joined the conversation for the first time; counted on the day it started. */
  | { kind: 'reached-person'; startedOn: string | undefined }
  /** A message the FAQ routing read and acted on (answered, clarified, fell back …): what the fallback rate divides by. */
  | { kind: 'question' }
  | { kind: 'fallback' }
  | { kind: 'vote'; vote: 'up' | 'down' }
  | { kind: 'handoff'; reason: HandoffReason }
  | { kind: 'csat'; rating: number };

/** One day's counters as stored: field → count. */
export type DayCounts = Record<string, number>;

const HANDOFF_FIELD = 'handoff:';

/** Which counters of which day an event adds to. */
export function incrementsOf(event: InsightsEvent, at: number): { day: string; counts: DayCounts } {
  const day = chinaDay(at);
  switch (event.kind) {
    case 'conversation':
      return { day, counts: { conversations: 1 } };
    case 'reached-person':
      return { day: event.startedOn ?? day, counts: { reachedPerson: 1 } };
    case 'question':
      return { day, counts: { questions: 1 } };
    case 'fallback':
      return { day, counts: { fallbacks: 1 } };
    case 'vote':
      return { day, counts: event.vote === 'up' ? { thumbsUp: 1 } : { thumbsDown: 1 } };
    case 'handoff':
      return { day, counts: { [`${HANDOFF_FIELD}${event.reason}`]: 1 } };
    case 'csat':
      return { day, counts: { csatCount: 1, csatSum: Math.round(event.rating) } };
  }
}

export const insightsDaySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  conversations: z.number().int().nonnegative(),
  /** Started that day and no person ever joined. */
  answeredByBot: z.number().int().nonnegative(),
  /** Messages the FAQ routing acted on; fallbacks / questions is the fallback rate. (Beyond C28.md's shape.) */
  questions: z.number().int().nonnegative(),
  fallbacks: z.number().int().nonnegative(),
  thumbsUp: z.number().int().nonnegative(),
  thumbsDown: z.number().int().nonnegative(),
  handoffs: z.record(z.string(), z.number().int().nonnegative()),
  csat: z.object({ count: z.number().int().nonnegative(), sum: z.number().int().nonnegative() }),
});
export type InsightsDay = z.infer<typeof insightsDaySchema>;

export const topUnansweredSchema = z.object({ wording: z.string(), count: z.number().int().positive() });
export type TopUnanswered = z.infer<typeof topUnansweredSchema>;

export const insightsSchema = z.object({ days: z.array(insightsDaySchema), topUnanswered: z.array(topUnansweredSchema) });
export type Insights = z.infer<typeof insightsSchema>;

const KNOWN_REASONS = new Set<string>(handoffReasonSchema.options);

/** A stored day as the API shows it; a day nothing was counted on is all zeros. */
export function dayOf(date: string, counts: DayCounts): InsightsDay {
  const of = (field: string) => Math.max(0, Math.trunc(counts[field] ?? 0));
  const handoffs: Record<string, number> = {};
  for (const [field, count] of Object.entries(counts)) {
    const reason = field.startsWith(HANDOFF_FIELD) ? field.slice(HANDOFF_FIELD.length) : undefined;
    if (reason && KNOWN_REASONS.has(reason) && count > 0) handoffs[reason] = Math.trunc(count);
  }
  const conversations = of('conversations');
  return {
    date,
    conversations,
    // A conversation that began before the counters existed may reach a person today: never below zero.
    answeredByBot: Math.max(0, conversations - of('reachedPerson')),
    questions: of('questions'),
    fallbacks: of('fallbacks'),
    thumbsUp: of('thumbsUp'),
    thumbsDown: of('thumbsDown'),
    handoffs,
    csat: { count: of('csatCount'), sum: of('csatSum') },
  };
}

/** Where the daily counters live: this process, or Redis shared by every instance. */
export interface InsightsRecorder {
  /** Adds the event to the counters of its day (`at`: when it happened, default now). */
  record(event: InsightsEvent, at?: number): Promise<void>;
  /** The stored counters of these dates, in the same order; `{}` for a day without any. */
  read(dates: readonly string[]): Promise<DayCounts[]>;
}

/** The last `count` days, oldest first, every day present. */
export async function insightsDays(recorder: Pick<InsightsRecorder, 'read'>, count: number, now: number): Promise<InsightsDay[]> {
  const dates = lastDays(count, now);
  const counts = await recorder.read(dates);
  return dates.map((date, i) => dayOf(date, counts[i] ?? {}));
}

/** A question as the signal log keeps it (already masked there; masked again here, in case). */
export interface UnansweredSignal {
  kind: string;
  question: string;
  at: string;
}

/**
 * The wordings that fell back most often since `since` (epoch ms): same wording up to case,
 * spacing, width and script; shown as its most frequent spelling, masked.
 */
export function topUnanswered(signals: readonly UnansweredSignal[], since: number, limit = 10): TopUnanswered[] {
  const groups = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const signal of signals) {
    if (signal.kind !== 'unanswered' || !(Date.parse(signal.at) >= since)) continue;
    const key = normalize(signal.question).trim();
    if (!key) continue;
    const group = groups.get(key) ?? { count: 0, spellings: new Map<string, number>() };
    group.count++;
    const spelling = signal.question.trim();
    group.spellings.set(spelling, (group.spellings.get(spelling) ?? 0) + 1);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => {
      const [wording = ''] = [...group.spellings.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
      return { wording: maskText(wording), count: group.count };
    })
    .sort((a, b) => b.count - a.count || a.wording.localeCompare(b.wording))
    .slice(0, limit);
}
