import { LOCALES } from '../knowledge/schema';
import { normalize } from '../knowledge/text';
import { flowMessages } from './flows/flowMessages';
import { handoffMessages, ratingChoices } from './handoffMessages';
import { messages } from './messages';

/**
 * The words on buttons that only mean something while their step is open: cancel, resend,
 * confirm, done, skip, leave the queue, leave a message, none of these, a rating. A card
 * stays on the page after its step is over; clicked then (or typed) with nothing open, the
 * words are not a question to look up.
 */
const STEP_BUTTONS = new Set(
  LOCALES.flatMap((locale) => {
    const f = flowMessages(locale);
    const h = handoffMessages(locale);
    const m = messages(locale);
    return [
      f.cancel,
      f.resend,
      f.pcConfirmWord,
      f.apDone,
      f.apSkip,
      h.cancelQueue,
      h.leaveMessage,
      h.noThanks,
      m.noneOfThese,
      m.noThanks,
      ...ratingChoices(locale).map((c) => c.value),
    ].map(normalize);
  }),
);

export const isStepButton = (text: string) => STEP_BUTTONS.has(normalize(text));
