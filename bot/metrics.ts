import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TurnDecision } from './conversation/turnDecision';
import type { LimitName } from './limits/limits';

/**
 * Prometheus metrics, served at GET /metrics. Each instance counts its own turns; with
 * several instances Prometheus scrapes each and sums. Names follow Prometheus conventions
 * (`_total` counters, base units).
 */
export type HandoffEvent = 'requested' | 'claimed' | 'expired' | 'cancelled' | 'resolved' | 'ticket';
export type FlowEvent = 'started' | 'completed' | 'abandoned' | 'handed_off';

/** What the handoff service reports. */
export interface HandoffMetrics {
  handoff(event: HandoffEvent): void;
  queueWait(seconds: number): void;
  rated(rating: number): void;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kefu_' });
  const registers = [registry];

  const turns = new Counter({ name: 'kefu_turns_total', help: 'Turns handled, by channel and kind of event.', labelNames: ['channel', 'event'], registers });
  const turnDuration = new Histogram({
    name: 'kefu_turn_duration_seconds',
    help: 'Time from receiving an activity to having sent every reply.',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const decisions = new Counter({ name: 'kefu_faq_decisions_total', help: 'What messages were: free text the FAQ routing acted on (answer, clarify, confirm, fallback, flow, handoff, complaint), flow_input, act, button, with_person, other.', labelNames: ['decision'], registers });
  const feedback = new Counter({ name: 'kefu_feedback_total', help: 'Votes under answers.', labelNames: ['vote'], registers });
  const flows = new Counter({ name: 'kefu_flows_total', help: 'Guided flows started, completed, abandoned (cancelled, timed out, left) or handed to a person.', labelNames: ['flow', 'event'], registers });
  const handoffs = new Counter({ name: 'kefu_handoffs_total', help: 'Handoffs requested, claimed, expired, cancelled, resolved; messages left as tickets.', labelNames: ['event'], registers });
  const queueWait = new Histogram({
    name: 'kefu_handoff_queue_wait_seconds',
    help: 'Time a chat waited in the queue until an agent claimed it.',
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800],
    registers,
  });
  const csat = new Histogram({ name: 'kefu_csat_rating', help: 'Ratings (1–5) users gave after a chat with a person.', buckets: [1, 2, 3, 4, 5], registers });
  const signIns = new Counter({
    name: 'kefu_agent_sign_ins_total',
    help: 'Agent console sign-ins: ok, wrong (password checked and wrong), throttled (429, attempts limit), busy (503, hashing capacity).',
    labelNames: ['outcome'],
    registers,
  });
  const limitHits = new Counter({ name: 'kefu_limit_hits_total', help: 'Requests refused by a limit (per address, per user, overall), by limit.', labelNames: ['limit'], registers });
  const conversations = new Counter({ name: 'kefu_conversations_total', help: 'Conversations started, and those that needed a person (escalated).', labelNames: ['outcome'], registers });
  const uncaught = new Counter({ name: 'kefu_uncaught_errors_total', help: 'Errors that escaped every request handler and were caught by the process guard (each one is a bug to fix).', labelNames: ['kind'], registers });
  new Gauge({
    name: 'kefu_containment_ratio',
    help: 'Share of the conversations started on this instance that were resolved without a person.',
    registers,
    async collect() {
      const counts = (await conversations.get()).values;
      const of = (outcome: string) => counts.find((v) => v.labels.outcome === outcome)?.value ?? 0;
      const started = of('started');
      this.set(started === 0 ? 1 : Math.max(0, 1 - of('escalated') / started));
    },
  });

  return {
    registry,
    turn(channel: string, event: string, seconds: number) {
      turns.inc({ channel, event });
      turnDuration.observe({ channel }, seconds);
    },
    decision: (decision: TurnDecision) => decisions.inc({ decision }),
    feedback: (vote: 'up' | 'down') => feedback.inc({ vote }),
    flow: (flow: string, event: FlowEvent) => flows.inc({ flow, event }),
    conversationStarted: () => conversations.inc({ outcome: 'started' }),
    handoff(event: HandoffEvent) {
      handoffs.inc({ event });
      if (event === 'requested') conversations.inc({ outcome: 'escalated' });
    },
    queueWait: (seconds: number) => queueWait.observe(seconds),
    rated: (rating: number) => csat.observe(rating),
    uncaught: (kind: 'exception' | 'rejection') => uncaught.inc({ kind }),
    signIn: (outcome: string) => signIns.inc({ outcome }),
    limitHit: (limit: LimitName) => limitHits.inc({ limit }),
    /** With DATABASE_URL: what waits for the database, and whether the writer reaches it. */
    watchRecords(records: { waiting(): Promise<number>; writing(): boolean }) {
      new Gauge({
        name: 'kefu_outbox_waiting',
        help: 'Writes queued for the database and not yet written (one outbox shared by the instances with Redis); -1 when the outbox cannot be read.',
        registers,
        async collect() {
          this.set(await records.waiting().catch(() => -1));
        },
      });
      new Gauge({
        name: 'kefu_records_writer_up',
        help: '1 while this instance writes records to the database, 0 while they wait (the database is away or not migrated yet).',
        registers,
        collect() {
          this.set(records.writing() ? 1 : 0);
        },
      });
    },
  } satisfies HandoffMetrics & Record<string, unknown>;
}

export type Metrics = ReturnType<typeof createMetrics>;
