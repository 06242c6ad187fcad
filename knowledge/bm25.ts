/**
 * A small BM25 inverted index over pre-tokenized documents. It is the candidate pruner:
 * a query touches only the postings of its own terms, so cost grows with the matches,
 * not with the size of the knowledge base.
 */
export interface Bm25Hit {
  doc: number;
  score: number;
}

/**
 * Terms found in more than this share of the documents ("怎么", "the") score little and cost
 * the most postings; candidate generation leaves them out when a query has rarer terms.
 */
const COMMON_SHARE = 0.25;

export class Bm25Index {
  private readonly postings = new Map<string, { docs: Int32Array; tfs: Float64Array; idf: number }>();
  /** Per document: k1 · (1 − b + b · length / average length), the BM25 length norm. */
  private readonly norms: Float64Array;
  private readonly averageLength: number;
  /** Scratch space reused by every search (searches are synchronous). */
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;

  constructor(
    docs: readonly string[][],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
    /** 1: every query term generates candidates (plain BM25, as a baseline to measure against). */
    private readonly commonShare = COMMON_SHARE,
  ) {
    const averageLength = docs.reduce((sum, terms) => sum + terms.length, 0) / Math.max(1, docs.length);
    this.averageLength = averageLength;
    this.norms = Float64Array.from(docs, (terms) => k1 * (1 - b + (b * terms.length) / (averageLength || 1)));
    const lists = new Map<string, { docs: number[]; tfs: number[] }>();
    docs.forEach((terms, doc) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = { docs: [], tfs: [] }));
        list.docs.push(doc);
        list.tfs.push(tf);
      }
    });
    // IDF is fixed once the index is built: kept with the postings, so a query's unknown terms leave nothing behind.
    for (const [term, list] of lists) this.postings.set(term, { docs: Int32Array.from(list.docs), tfs: Float64Array.from(list.tfs), idf: Math.log(1 + (docs.length - list.docs.length + 0.5) / (list.docs.length + 0.5)) });
    this.scores = new Float64Array(docs.length);
    this.touched = new Int32Array(docs.length);
  }

  /** The IDF of a term found in a single document: the rarest a known term can be. */
  get maxIdf(): number {
    return Math.log(1 + (this.size - 1 + 0.5) / 1.5);
  }

  get size(): number {
    return this.norms.length;
  }

  private df(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    return this.postings.get(term)?.idf ?? 0;
  }

  /** One term's share of a document's BM25 score, for a term found `tf` times in it, from the term's IDF (looked up once per query). */
  scoreOfIdf(idf: number, tf: number, doc: number): number {
    return (idf * tf * (this.k1 + 1)) / (tf + (this.norms[doc] ?? this.k1));
  }

  private scoreWith(term: string, tf: number, norm: number): number {
    return (this.idf(term) * tf * (this.k1 + 1)) / (tf + norm);
  }

  /**
   * What a document made of exactly the query's terms would score: about the most a document
   * can, so `score / selfScore` reads as a share, comparable across queries.
   */
  selfScore(queryTerms: readonly string[]): number {
    const counts = new Map<string, number>();
    for (const term of queryTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
    const norm = this.k1 * (1 - this.b + (this.b * queryTerms.length) / (this.averageLength || 1));
    let score = 0;
    for (const [term, tf] of counts) score += this.scoreWith(term, tf, norm);
    return score;
  }

  /** The `limit` best documents for the query terms, best first. */
  search(queryTerms: readonly string[], limit: number): Bm25Hit[] {
    const known = [...new Set(queryTerms)].filter((term) => this.postings.has(term));
    const rare = known.filter((term) => this.df(term) <= this.size * this.commonShare);
    const terms = rare.length >= 2 ? rare : known;
    let count = 0;
    for (const term of terms) {
      const { docs, tfs } = this.postings.get(term)!;
      const idf = this.idf(term);
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const tf = tfs[i]!;
        if (this.scores[doc] === 0) this.touched[count++] = doc;
        this.scores[doc]! += (idf * tf * (this.k1 + 1)) / (tf + this.norms[doc]!);
      }
    }
    const best = topK(this.touched, count, this.scores, limit);
    for (let i = 0; i < count; i++) this.scores[this.touched[i]!] = 0;
    return best;
  }
}

/** The `limit` highest-scoring of the first `count` touched documents, best first (ties: lower doc first). */
function topK(touched: Int32Array, count: number, scores: Float64Array, limit: number): Bm25Hit[] {
  const better = (a: Bm25Hit, b: Bm25Hit) => a.score > b.score || (a.score === b.score && a.doc < b.doc);
  // A small sorted buffer: cheap for the few dozen candidates kept, whatever `count` is.
  const kept: Bm25Hit[] = [];
  for (let i = 0; i < count; i++) {
    const hit = { doc: touched[i]!, score: scores[touched[i]!]! };
    if (kept.length === limit && !better(hit, kept[kept.length - 1]!)) continue;
    let at = kept.length;
    while (at > 0 && better(hit, kept[at - 1]!)) at--;
    kept.splice(at, 0, hit);
    if (kept.length > limit) kept.pop();
  }
  return kept;
}
