/** A button; `value` is what the user would type to get the same effect. */
export interface Suggestion {
  title: string;
  value: string;
}

/** One message from the bot, independent of the channel that will render it. */
export interface Reply {
  /** Markdown. */
  text: string;
  suggestions?: Suggestion[];
  /** Show the buttons on a card in every channel (a confirmation), not as suggestions. */
  asCard?: boolean;
}
