/**
 * A small BM25 inverted index over pre-tokenized documents. It is the candidate pruner:
 * a query touches only the postings of its own terms, so cost grows with the matches,
 * not with the size of the knowledge base.
 */
export interface Bm25Hit {
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly postings = new Map<string, Array<[doc: number, tf: number]>>();
  private readonly lengths: number[];
  private readonly averageLength: number;
  private readonly idfCache = new Map<string, number>();

  constructor(
    docs: readonly string[][],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.lengths = docs.map((terms) => terms.length);
    this.averageLength = this.lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, docs.length);
    docs.forEach((terms, doc) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push([doc, tf]);
      }
    });
  }

  /** The IDF of a term found in a single document: the rarest a known term can be. */
  get maxIdf(): number {
    return Math.log(1 + (this.size - 1 + 0.5) / 1.5);
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    const cached = this.idfCache.get(term);
    if (cached !== undefined) return cached;
    const df = this.postings.get(term)?.length ?? 0;
    const value = df === 0 ? 0 : Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
    this.idfCache.set(term, value);
    return value;
  }

  /** The `limit` best documents for the query terms, best first. */
  search(queryTerms: readonly string[], limit: number): Bm25Hit[] {
    const scores = new Map<number, number>();
    for (const term of new Set(queryTerms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [doc, tf] of list) {
        const norm = 1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / this.averageLength;
        const gain = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm);
        scores.set(doc, (scores.get(doc) ?? 0) + gain);
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ doc, score }))
      .sort((x, y) => y.score - x.score || x.doc - y.doc)
      .slice(0, limit);
  }
}
