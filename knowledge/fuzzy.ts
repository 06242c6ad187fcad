import Fuse from 'fuse.js';

/** Bitap in Fuse works on at most 32 UTF-16 units; longer patterns match nothing. */
export const FUSE_PATTERN_LIMIT = 32;
/** Fuse's threshold: a match needs at most this share of the pattern's units wrong. */
export const FUSE_THRESHOLD = 0.6;

/** One one-byte symbol per distinct pattern unit (there are at most 32), one for all others. */
const SYMBOLS = 'abcdefghijklmnopqrstuvwxyz012345';
const FILLER = '~';

/**
 * A query as Fuse's bitap compares it. Bitap only asks of each text unit whether it is one
 * of the pattern's, and which; so the pattern's distinct UTF-16 units are renamed to
 * one-byte symbols and every other unit to one filler. Fuse then finds the same matches
 * with the same scores, on one-byte strings: Chinese text otherwise costs it a new
 * one-character string and a dictionary lookup for every comparison. The query and the
 * texts come lower-cased, as Fuse compares them (the search lower-cases its phrasings once,
 * when it builds its index, not on every query).
 */
export class FuzzyQuery {
  readonly pattern: string;
  private readonly symbolOf = new Map<number, number>();
  private readonly counts: number[] = [];

  constructor(query: string) {
    const raw = query.slice(0, FUSE_PATTERN_LIMIT);
    let pattern = '';
    for (let i = 0; i < raw.length; i++) {
      const unit = raw.charCodeAt(i);
      let symbol = this.symbolOf.get(unit);
      if (symbol === undefined) {
        symbol = this.symbolOf.size;
        this.symbolOf.set(unit, symbol);
        this.counts.push(0);
      }
      this.counts[symbol]!++;
      pattern += SYMBOLS[symbol];
    }
    this.pattern = pattern;
  }

  /**
   * `text` renamed for Fuse, and the highest similarity Fuse could give it: any alignment
   * leaves each pattern unit the text lacks as an error, so errors ≥ pattern length −
   * shared units; past Fuse's threshold there is no match at all.
   */
  read(text: string): { renamed: string; ceiling: number } {
    const left = this.counts.slice();
    let renamed = '';
    let shared = 0;
    for (let i = 0; i < text.length; i++) {
      const symbol = this.symbolOf.get(text.charCodeAt(i));
      if (symbol === undefined) {
        renamed += FILLER;
        continue;
      }
      renamed += SYMBOLS[symbol];
      if (left[symbol]! > 0) {
        left[symbol]!--;
        shared++;
      }
    }
    // Computed as Fuse computes a similarity (1 − errors / length), so the two compare exactly.
    const fewestErrors = (this.pattern.length - shared) / this.pattern.length;
    return { renamed, ceiling: this.pattern.length === 0 || fewestErrors > FUSE_THRESHOLD ? 0 : 1 - fewestErrors };
  }

  /**
   * 1 − Fuse's score for each renamed text (0 where Fuse finds nothing). A `threshold` below
   * Fuse's own makes it give up sooner on texts that could not score that well anyway.
   */
  similarities(renamed: readonly string[], threshold = FUSE_THRESHOLD): number[] {
    const similarity = new Array<number>(renamed.length).fill(0);
    if (renamed.length === 0 || !this.pattern) return similarity;
    const fuse = new Fuse(renamed, { includeScore: true, ignoreLocation: true, ignoreFieldNorm: true, threshold: Math.min(threshold, FUSE_THRESHOLD) });
    for (const result of fuse.search(this.pattern)) similarity[result.refIndex] = 1 - (result.score ?? 1);
    return similarity;
  }
}
