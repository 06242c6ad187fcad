import { affirms } from '../../dialogs/commands';

/** Which readings of a message take the bot's offer: a yes, padded or not, and nothing said about the bot. */
test.each([
  [['affirm'], true],
  [['affirm', 'thanks'], true],
  [['affirm', 'ack'], false],
  [['affirm', 'deny'], false],
  [['affirm', 'goodbye'], false],
  // "…听不懂人话是吧": a sentence about the bot that holds a yes word is no yes.
  [['human-indirect', 'affirm'], false],
  [['bot-challenge', 'affirm'], false],
  [['not-understood', 'affirm'], false],
  [['repeat', 'affirm'], false],
] as const)('%j takes the offer: %s', (acts, takes) => {
  expect(affirms(acts)).toBe(takes);
});
