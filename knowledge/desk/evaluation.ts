import { evaluate, routeLabel, type EvalReport, type Judged, type LabelledQuestion } from '../eval';
import type { Locale } from '../schema';

/** A set's figures in percent, one decimal, as `kb eval` prints them. */
export interface Figures {
  rightFirst: number;
  straight: number;
  wrong: number;
  clarify: number;
  fallbackPrecision: number;
  fallbackRecall: number;
}

export interface Failing {
  question: string;
  expected: string;
  before: string;
  after: string;
}

export interface SetComparison {
  name: string;
  locale: Locale;
  before: Figures;
  after: Figures;
  newlyFailing: Failing[];
}

export interface LabelledSet {
  name: string;
  locale: Locale;
  items: LabelledQuestion[];
}

/** A publication may lower right-first on a dev set by at most this many points. */
export const MAX_DROP_POINTS = 1;

const pct = (x: number) => Math.round(x * 1000) / 10;

function figuresOf(report: EvalReport): Figures {
  return {
    rightFirst: pct(report.top1),
    straight: pct(report.directCorrect),
    wrong: pct(report.wrongAction),
    clarify: pct(report.clarify),
    fallbackPrecision: pct(report.fallbackPrecision),
    fallbackRecall: pct(report.fallbackRecall),
  };
}

export type Judge = (question: string) => Judged;

/** Runs `judge` over the items, keeping the label each line got. */
function run(items: readonly LabelledQuestion[], judge: Judge): { report: EvalReport; got: Map<number, string> } {
  const got = new Map<number, string>();
  let i = 0;
  const labels = items.map((item) => item.line);
  const report = evaluate(items, (question) => {
    const judged = judge(question);
    got.set(labels[i++] ?? -1, routeLabel(judged));
    return judged;
  });
  return { report, got };
}

const missed = (report: EvalReport) => new Set(report.misses.map((m) => `${m.question}\u0000${m.expected}`));

/** One labelled set through the published and the draft knowledge: figures before/after and the lines that newly fail. */
export function compareSet(set: LabelledSet, before: Judge, after: Judge): SetComparison {
  const was = run(set.items, before);
  const now = run(set.items, after);
  const wrongBefore = missed(was.report);
  const newlyFailing = now.report.misses
    .filter((m) => !wrongBefore.has(`${m.question}\u0000${m.expected}`))
    .map((m) => {
      const line = set.items.find((item) => item.question === m.question && item.expected === m.expected)?.line ?? -1;
      return { question: m.question, expected: m.expected, before: was.got.get(line) ?? m.expected, after: m.got };
    });
  return { name: set.name, locale: set.locale, before: figuresOf(was.report), after: figuresOf(now.report), newlyFailing };
}

export interface ResolvedFigures {
  total: number;
  rightBefore: number;
  rightAfter: number;
  failing: Failing[];
}

/** The questions leads resolved, each with the label it should now get: how many the published and the draft get right. */
export function compareResolved(items: readonly { question: string; expected: string; locale: Locale }[], before: (locale: Locale) => Judge, after: (locale: Locale) => Judge): ResolvedFigures {
  let rightBefore = 0;
  let rightAfter = 0;
  const failing: Failing[] = [];
  for (const item of items) {
    const was = routeLabel(before(item.locale)(item.question));
    const now = routeLabel(after(item.locale)(item.question));
    if (was === item.expected) rightBefore++;
    if (now === item.expected) rightAfter++;
    else failing.push({ question: item.question, expected: item.expected, before: was, after: now });
  }
  return { total: items.length, rightBefore, rightAfter, failing };
}

/** One reason a draft may not go out as it is; the page words it in the lead's language. */
export type GateFinding =
  | { kind: 'invalid'; problem: string }
  /** A version published since the draft began (another lead, the CLI, a rollback) would be undone by it. */
  | { kind: 'stale'; latest: number; base: number }
  | { kind: 'drop'; set: string; before: number; after: number; newlyFailing: number };

/** A finding in English, for scripts and the log. */
export function reasonOf(finding: GateFinding): string {
  switch (finding.kind) {
    case 'invalid':
      return `the draft is invalid: ${finding.problem}`;
    case 'stale':
      return `version ${finding.latest} was published after this draft began from ${finding.base === 0 ? 'the seed files' : `version ${finding.base}`}: publishing it undoes that version's changes`;
    case 'drop':
      return `right-first on ${finding.set} drops from ${finding.before}% to ${finding.after}% (at most ${MAX_DROP_POINTS} point may be lost); ${finding.newlyFailing} line(s) newly fail`;
  }
}

/**
 * Whether a draft may be published: valid, not behind the latest version, and no dev set's
 * right-first lower by more than MAX_DROP_POINTS.
 */
export function gateOf(sets: readonly SetComparison[], problems: readonly string[], stale?: { latest: number; base: number }): { ok: boolean; reasons: string[]; findings: GateFinding[] } {
  const findings: GateFinding[] = [
    ...problems.map((problem) => ({ kind: 'invalid' as const, problem })),
    ...(stale ? [{ kind: 'stale' as const, ...stale }] : []),
    ...sets
      .filter((set) => set.after.rightFirst < set.before.rightFirst - MAX_DROP_POINTS)
      .map((set) => ({ kind: 'drop' as const, set: set.name, before: set.before.rightFirst, after: set.after.rightFirst, newlyFailing: set.newlyFailing.length })),
  ];
  return { ok: findings.length === 0, reasons: findings.map(reasonOf), findings };
}
