import os from 'node:os';

/** Percentile (0–100) of a sample, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '—');
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The machine line of BENCHMARKS.md. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, ${new Date().toISOString().slice(0, 10)}`;
}

export function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Median of a sample (the mean of the middle two when the count is even); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median and range of a sample; values that are not finite (a round that measured nothing) are left out. */
export function spread(values: readonly number[]): Spread {
  const finite = values.filter(Number.isFinite);
  return { median: median(finite), min: finite.length > 0 ? Math.min(...finite) : NaN, max: finite.length > 0 ? Math.max(...finite) : NaN };
}

/**
 * Ratios of paired measurements (round i's numerator over round i's denominator) and their
 * spread: each ratio compares two figures taken moments apart on the same machine, so a load
 * that comes and goes moves both and cancels out, where a ratio of two overall figures would not.
 */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): { ratios: number[] } & Spread {
  if (numerators.length !== denominators.length) throw new Error(`paired ratios need as many numerators (${numerators.length}) as denominators (${denominators.length})`);
  const ratios = numerators.map((n, i) => n / denominators[i]!);
  return { ratios, ...spread(ratios) };
}

/** "1.23 (1.10–1.41)": a median and its range. */
export function withSpread(s: Spread, format: (value: number) => string = (value) => value.toFixed(2)): string {
  if (!Number.isFinite(s.median)) return '—';
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

/**
 * The baseline of each measurement taken between two of an alternating series (b₀, x₀, b₁,
 * x₁, b₂ …): the mean of the one before and the one after, so a load that rises or falls
 * steadily over the pair cancels out too. One fewer than the series.
 */
export function bracketed(series: readonly number[]): number[] {
  return series.slice(1).map((after, i) => (series[i]! + after) / 2);
}

/**
 * Turns per second of a set of closed-loop conversations, from the moments each one's
 * answers arrived (ms): the sum of each conversation's own rate, measured from its first to
 * its last answer. Counting the answers in a fixed window instead goes in steps: under
 * saturation the conversations move in step, their answers arriving in bursts of one per
 * conversation, and whether a burst falls just inside or just outside the window moves the
 * count by a whole burst. A conversation with fewer than two answers has no rate of its own.
 */
export function turnsPerSecond(answersByConversation: readonly (readonly number[])[]): number {
  let total = 0;
  for (const answers of answersByConversation) {
    if (answers.length < 2) continue;
    total += (answers.length - 1) / ((answers[answers.length - 1]! - answers[0]!) / 1000);
  }
  return total;
}
