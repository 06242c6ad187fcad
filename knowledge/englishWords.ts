import fs from 'node:fs';
import { z } from 'zod';

/**
 * Whether a Latin-letter word is ordinary English ("go", "onto", "tried") rather than a name
 * ("paypal", "venmo", "instagram"). Routing treats a word none of our phrasings has as the
 * mark of someone else's product; without this, every everyday English word our knowledge
 * base happens not to use ("where do I *go* to change my number") would throw a question away.
 * The word list (an-array-of-english-words, ~275 000 words) is read on first use: a bot that
 * never sees English never holds it.
 */
let words: ReadonlySet<string> | undefined;

function load(): ReadonlySet<string> {
  const file = require.resolve('an-array-of-english-words');
  return new Set(z.array(z.string()).parse(JSON.parse(fs.readFileSync(file, 'utf8'))));
}

/** What is left of "I've", "we'll", "they're" once the apostrophe splits them. */
const CONTRACTION_TAILS = new Set(['s', 't', 're', 've', 'll', 'd', 'm']);

export function isOrdinaryEnglish(word: string): boolean {
  words ??= load();
  const w = word.toLowerCase();
  return CONTRACTION_TAILS.has(w) || words.has(w);
}
