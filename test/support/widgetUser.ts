/** A web chat widget user on the embedded Direct Line, over its REST API (as the page's DirectLineJS polls it). */
export class WidgetUser {
  private constructor(
    private readonly url: string,
    readonly conversationId: string,
    private readonly token: string,
  ) {}

  /** A widget token from one instance, the conversation started on the same or another. */
  static async open(tokenFrom: string, startOn = tokenFrom): Promise<WidgetUser> {
    const grant = (await (await fetch(`${tokenFrom}/api/webchat/token`, { method: 'POST' })).json()) as { conversationId: string; token: string };
    const user = new WidgetUser(startOn, grant.conversationId, grant.token);
    const started = await fetch(`${startOn}/v3/directline/conversations`, { method: 'POST', headers: user.headers });
    if (started.status >= 300) throw new Error(`starting the conversation answered ${started.status}`);
    await user.waitForBot(1);
    return user;
  }

  private get headers() {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
  }

  async botTexts(): Promise<string[]> {
    return (await this.botMessages()).map((m) => m.text);
  }

  /** The bot's messages with the titles of their buttons (suggested actions), as the widget shows them. */
  async botMessages(): Promise<{ text: string; buttons: string[] }[]> {
    const response = await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, { headers: this.headers });
    const set = (await response.json()) as { activities: { type: string; text?: string; from: { id: string }; suggestedActions?: { actions: { title: string }[] } }[] };
    return set.activities
      .filter((a) => a.type === 'message' && a.from.id === 'kefu-bot')
      .map((a) => ({ text: a.text ?? '', buttons: (a.suggestedActions?.actions ?? []).map((b) => b.title) }));
  }

  /** Writes and waits for `expected` new bot messages; returns them with their buttons. */
  async exchange(text: string, expected = 1): Promise<{ text: string; buttons: string[] }[]> {
    const before = (await this.botTexts()).length;
    await this.say(text);
    await this.waitForBot(before + expected);
    return (await this.botMessages()).slice(before);
  }

  /** Waits until the bot has said at least `count` messages (generous: CI machines are busy). */
  async waitForBot(count: number, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = await this.botTexts();
      if (texts.length >= count) return texts;
      if (Date.now() > deadline) throw new Error(`expected ${count} bot messages, got ${JSON.stringify(texts)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Writes and waits for `expected` new bot messages; returns them. */
  async ask(text: string, expected = 1): Promise<string[]> {
    const before = (await this.botTexts()).length;
    await this.say(text);
    return (await this.waitForBot(before + expected)).slice(before);
  }

  async say(text: string): Promise<void> {
    const posted = await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({ type: 'message', text, from: { id: 'ignored' }, locale: 'zh-CN' }),
    });
    if (posted.status !== 200) throw new Error(`posting answered ${posted.status}`);
  }
}
