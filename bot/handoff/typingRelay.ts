import type { HandoffServiceOptions } from './service';

/** A typing indicator is passed on at most this often per chat and direction (Web Chat shows one for a few seconds). */
const TYPING_EVERY_MS = 3000;

/**
 * Typing passed on between a user and the agent who has their chat, at most every
 * TYPING_EVERY_MS per chat and direction. Only a hint: nothing here fails a turn or an
 * agent's request.
 */
export class TypingRelay {
  constructor(private readonly options: Pick<HandoffServiceOptions, 'typing' | 'typingThrottle' | 'bus' | 'logger'>) {}

  /** The agent of chat `id` is typing: whether the user was shown so. */
  async toUser(id: string, conversation: string): Promise<boolean> {
    const { typing } = this.options;
    if (!typing || !(await this.due(`agent:${id}`))) return false;
    try {
      await typing(conversation);
    } catch (error) {
      // A user who cannot be reached now hears nothing of it.
      this.options.logger.warn({ err: error, handoff: id }, 'typing indicator not delivered');
      return false;
    }
    return true;
  }

  /** The user of chat `id` is typing: the consoles showing it are told. */
  async toAgent(id: string): Promise<void> {
    if (await this.due(`user:${id}`)) await this.options.bus.publish({ type: 'typing', id });
  }

  /**
   * Whether this indicator opens the chat's window in its direction. A throttle that cannot
   * answer (Redis away) lets it through rather than fail the agent's request or the user's
   * turn — at worst an indicator is shown twice.
   */
  private async due(key: string): Promise<boolean> {
    try {
      return await this.options.typingThrottle.pass(`typing:${key}`, TYPING_EVERY_MS);
    } catch (error) {
      this.options.logger.warn({ err: error, key }, 'typing throttle unavailable; passed on unthrottled');
      return true;
    }
  }
}
