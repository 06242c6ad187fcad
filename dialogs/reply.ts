/** A button; `value` is what the user would type to get the same effect. */
export interface Suggestion {
  title: string;
  value: string;
  /** Also said in the text (a listed follow-up, "请联系客服"): a channel with few button slots may leave it out. */
  extra?: boolean;
}

/** One message from the bot, independent of the channel that will render it. */
export interface Reply {
  /** Markdown, unless `plain`. */
  text: string;
  /** Words a person typed (an agent's message): shown exactly as written, never as markdown. */
  plain?: boolean;
  suggestions?: Suggestion[];
  /** Show the buttons on a card in every channel (a confirmation), not as suggestions. */
  asCard?: boolean;
}
