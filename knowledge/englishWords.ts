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

/**
 * Contractions as normalized text spells them ("don't" → "dont"), and what is left of one where
 * an apostrophe split it instead ("ve" of "I've").
 */
const CONTRACTIONS = new Set(
  'dont doesnt didnt cant couldnt wont wouldnt isnt arent wasnt werent havent hasnt hadnt shouldnt mustnt neednt im ive id ill youre youve youll youd hes shes theyre theyve theyll theyd weve wed well thats whats wheres whos hows theres heres lets aint s t re ve ll d m'.split(' '),
);

export function isOrdinaryEnglish(word: string): boolean {
  words ??= load();
  const w = word.toLowerCase();
  return CONTRACTIONS.has(w) || words.has(w);
}
