import { RETENTION_KINDS, type RetentionKind } from '../configRecords';

export type RetentionDays = Readonly<Record<RetentionKind, number>>;

const DAY_MS = 86_400_000;

/** Ids of applied records guard against a record delivered twice; none stays in the outbox this long. */
export const APPLIED_KEPT_DAYS = 2;

/** Days each kind is kept: RETENTION_DAYS, unless RETENTION_DAYS_BY_KIND ("staff=365,signals=90") names the kind. */
export function retentionDays(config: { RETENTION_DAYS: number; RETENTION_DAYS_BY_KIND?: string | undefined }): RetentionDays {
  const days = Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, config.RETENTION_DAYS])) as Record<RetentionKind, number>;
  for (const pair of (config.RETENTION_DAYS_BY_KIND ?? '').split(',')) {
    const [kind, value] = pair.split('=');
    // The config's own check allows only known kinds and whole numbers; anything else is ignored here.
    if ((RETENTION_KINDS as readonly string[]).includes(kind ?? '') && /^\d+$/.test(value ?? '')) days[kind as RetentionKind] = Number(value);
  }
  return days;
}

/** Records of a kind written before its cutoff are erased. */
export function retentionCutoffs(days: RetentionDays, now: number): Record<RetentionKind | 'applied', Date> {
  const cutoffs = Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, new Date(now - days[kind] * DAY_MS)])) as Record<RetentionKind, Date>;
  return { ...cutoffs, applied: new Date(now - APPLIED_KEPT_DAYS * DAY_MS) };
}
