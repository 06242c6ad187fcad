/** An agent's side of the console API, as the page uses it: a session cookie, JSON, and the event stream. */
export class AgentClient {
  private constructor(readonly url: string) {}

  static anonymous(url: string): AgentClient {
    return new AgentClient(url);
  }

  static async signIn(url: string, id: string, password: string): Promise<AgentClient> {
    const client = new AgentClient(url);
    const { status } = await client.signIn(id, password);
    if (status !== 200) throw new Error(`sign-in of ${id} answered ${status}`);
    return client;
  }

  /** Cookies by name, as a browser keeps them (the session, and the known-device mark). */
  private readonly jar = new Map<string, string>();

  private get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Signs in as the console does, with the cookies this client holds; keeps those it is given. */
  async signIn(id: string, password: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
    const response = await fetch(`${this.url}/api/agent/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-agent': '1', cookie: this.cookie },
      body: JSON.stringify({ id, password }),
    });
    for (const set of response.headers.getSetCookie()) {
      const [name = '', ...value] = (set.split(';')[0] ?? '').split('=');
      if (value.join('=')) this.jar.set(name, value.join('='));
      else this.jar.delete(name);
    }
    return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
  }

  /** A call as the console makes it: the session cookie and the console's header. */
  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    return this.send(method, path, { 'x-kefu-agent': '1' }, body, contentType);
  }

  /** What a page on another site can make the agent's browser send: the cookie, a form body, no custom header. */
  crossSite(method: string, path: string, body: string, contentType: string): Promise<{ status: number; body: unknown }> {
    return this.send(method, path, {}, body, contentType);
  }

  private async send(method: string, path: string, headers: Record<string, string>, body: unknown, contentType: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...headers, cookie: this.cookie, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** A call with the session cookie and the console's header, answered as the raw Response (its headers: ETag). */
  raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Response> {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    return fetch(`${this.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-kefu-agent': '1', cookie: this.cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body,
    });
  }

  get = <T = unknown>(path: string) => this.request('GET', path).then((r) => r as { status: number; body: T });
  post = (path: string, body: unknown = {}) => this.request('POST', path, body);

  /** Opens the event stream; `events` fills as the server pushes; `close` ends it. */
  async stream(): Promise<{ events: { type: string; id?: string }[]; waitFor(type: string, since: number): Promise<void>; close(): void }> {
    const controller = new AbortController();
    const response = await fetch(`${this.url}/api/agent/events`, { headers: { cookie: this.cookie }, signal: controller.signal });
    if (response.status !== 200 || !response.body) throw new Error(`event stream answered ${response.status}`);
    const events: { type: string; id?: string }[] = [];
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data) events.push(JSON.parse(data) as { type: string; id?: string });
          }
        }
      } catch {
        // aborted
      }
    })();
    return {
      events,
      /** Waits for an event of this type among those after the first `since`. */
      async waitFor(type, since) {
        const deadline = Date.now() + 5000;
        while (!events.slice(since).some((e) => e.type === type)) {
          if (Date.now() > deadline) throw new Error(`no "${type}" event within 5 s`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      close: () => controller.abort(),
    };
  }
}

export const DEMO_AGENTS = { wang: ['wang', 'kefu-demo-wang'], alice: ['alice', 'kefu-demo-alice'], lin: ['lin', 'kefu-demo-lin'] } as const;
