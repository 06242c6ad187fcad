import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startKefu, type RunningKefu } from './kefuServer';

/** One call the bot made to the Teams connector. */
export interface TeamsCall {
  kind: 'create' | 'post' | 'update';
  /** The conversation it went to (for create: the new thread's). */
  conversation: string;
  /** The message's id: the one the connector gave it, or the one updated. */
  activityId: string;
  activity: { type?: string; text?: string; attachments?: { contentType: string; content: Record<string, unknown> }[]; [key: string]: unknown };
  /** For create: the conversation parameters (channelData.channel.id names the channel). */
  parameters?: { channelData?: { channel?: { id?: string }; tenant?: { id?: string } }; isGroup?: boolean };
}

/**
 * A stand-in for the Teams connector the bot calls back: it records new threads
 * (POST /v3/conversations, answered as Teams does with "<channel>;messageid=<id>"),
 * messages (POST …/activities) and in-place updates (PUT …/activities/:id).
 */
export class TeamsConnector {
  private readonly server = http.createServer((req, res) => this.receive(req, res));
  readonly calls: TeamsCall[] = [];
  private waiters: (() => void)[] = [];
  private nextId = 1_700_000_000_000;
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Matches `match`'s calls made after the first `from` of the record (`calls.length` before an action). */
  since(from: number, match: (call: TeamsCall) => boolean): (call: TeamsCall) => boolean {
    return (call) => this.calls.indexOf(call) >= from && match(call);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = req.url ?? '';
      const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const activities = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url);
      let answer: Record<string, unknown> | undefined;
      if (req.method === 'POST' && /^\/v3\/conversations\/?$/.test(url)) {
        const parameters = parsed as TeamsCall['parameters'] & { activity: TeamsCall['activity'] };
        const activityId = String(this.nextId++);
        const conversation = `${parameters?.channelData?.channel?.id ?? 'unknown'};messageid=${activityId}`;
        this.record({ kind: 'create', conversation, activityId, activity: parameters.activity, parameters });
        answer = { id: conversation, activityId };
      } else if (req.method === 'POST' && activities?.[1]) {
        const activityId = String(this.nextId++);
        this.record({ kind: 'post', conversation: decodeURIComponent(activities[1]), activityId, activity: parsed });
        answer = { id: activityId };
      } else if (req.method === 'PUT' && activities?.[1] && activities[2]) {
        const activityId = decodeURIComponent(activities[2]);
        this.record({ kind: 'update', conversation: decodeURIComponent(activities[1]), activityId, activity: parsed });
        answer = { id: activityId };
      }
      res.statusCode = answer ? 200 : 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer ?? { error: 'not a connector route' }));
    });
  }

  private record(call: TeamsCall): void {
    this.calls.push(call);
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  /** Waits until a recorded call matches (generous: CI machines are busy). */
  async waitFor(what: string, match: (call: TeamsCall) => boolean, timeoutMs = 30_000): Promise<TeamsCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no Teams connector call: ${what}; got ${JSON.stringify(this.calls.map((c) => [c.kind, c.conversation, c.activity.text]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** The Adaptive Card a call carries, if any. */
export function cardOf(call: TeamsCall | undefined): Record<string, unknown> | undefined {
  const attachment = call?.activity.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive' ? attachment.content : undefined;
}

/** A piece of a card as Teams shows it, and whether Teams reads it as Markdown. */
export interface ShownLine {
  text: string;
  markdown: boolean;
}

/**
 * What a call shows in Teams, line by line: a message's text (Markdown, whatever its
 * textFormat says, as Teams may read it), or each block of its card: a TextBlock and a
 * FactSet's values are Markdown, a RichTextBlock's TextRuns are not.
 */
export function shownLines(call: TeamsCall | undefined): ShownLine[] {
  const card = cardOf(call);
  return card ? cardLines(card) : (call?.activity.text ?? '').split('\n').map((text) => ({ text, markdown: true }));
}

export function cardLines(card: { body?: unknown }): ShownLine[] {
  return ((card.body ?? []) as Record<string, unknown>[]).flatMap((block): ShownLine[] => {
    if (block.type === 'TextBlock') return String(block.text).split('\n').map((text) => ({ text, markdown: true }));
    if (block.type === 'FactSet') return (block.facts as { title: string; value: string }[]).map((fact) => ({ text: `${fact.title}：${fact.value}`, markdown: true }));
    if (block.type === 'RichTextBlock') return [{ text: (block.inlines as { text: string }[]).map((run) => run.text).join(''), markdown: false }];
    return [];
  });
}

/** The text a call shows, its lines joined. */
export const shownText = (call: TeamsCall | undefined) => shownLines(call).map((line) => line.text).join('\n');

export interface TeamsPerson {
  id: string;
  name: string;
  aadObjectId?: string;
}

/**
 * Activities as Teams sends them from a channel where the app is installed: a message in a
 * thread (or at the top of the channel), a card button pressed as Action.Execute (an invoke)
 * or as Action.Submit (a message with value).
 */
export class TeamsAgentSide {
  constructor(
    private readonly botUrl: () => string,
    private readonly connector: TeamsConnector,
    private readonly tenantId: string,
  ) {}

  private fields(conversation: string, from: TeamsPerson, extra: Record<string, unknown>) {
    const channel = conversation.split(';')[0];
    return {
      id: crypto.randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      timestamp: new Date().toISOString(),
      locale: 'zh-cn',
      conversation: { id: conversation, conversationType: 'channel', isGroup: true, tenantId: this.tenantId },
      from,
      recipient: { id: '28:kefu-bot-app-id', name: 'Kefu' },
      channelData: { tenant: { id: this.tenantId }, channel: { id: channel }, team: { id: '19:team@thread.tacv2' } },
      ...extra,
    };
  }

  async post(body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.botUrl()}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** A message that @mentions the bot, as Teams delivers it in a channel. */
  say(conversation: string, from: TeamsPerson, text: string) {
    return this.post(
      this.fields(conversation, from, {
        type: 'message',
        text: `<at>Kefu</at> ${text}`,
        textFormat: 'plain',
        entities: [{ type: 'mention', text: '<at>Kefu</at>', mentioned: { id: '28:kefu-bot-app-id', name: 'Kefu' } }],
      }),
    );
  }

  /** Action.Execute: the invoke's answer is the HTTP response's body. */
  execute(thread: string, from: TeamsPerson, data: Record<string, unknown>) {
    return this.post(this.fields(thread, from, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: data.kefu, data } } }));
  }

  /** Action.Submit: a message with the button's data as value, replying to the card. */
  submit(thread: string, from: TeamsPerson, data: Record<string, unknown>) {
    return this.post(this.fields(thread, from, { type: 'message', value: data }));
  }
}

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CHANNEL = '19:kefu-agents@thread.tacv2';
export const WANG: TeamsPerson = { id: '29:wang', name: '王小明', aadObjectId: '6b1a2c3d-0000-4000-8000-00000000a001' };
export const ALICE: TeamsPerson = { id: '29:alice', name: 'Alice Chen', aadObjectId: '6b1a2c3d-0000-4000-8000-00000000a002' };
/** The demo lead (role: lead): the one who may choose the agents' channel. */
export const LIN: TeamsPerson = { id: '29:lin', name: '林晓', aadObjectId: '6b1a2c3d-0000-4000-8000-00000000a003' };
export const STRANGER: TeamsPerson = { id: '29:guest', name: '访客', aadObjectId: '6b1a2c3d-0000-4000-8000-00000000ffff' };

/** The demo agents (passwords in README) in a file of their own, mapped to their Teams accounts; the caller removes its directory. */
export function agentsFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-teams-agents-'));
  const file = path.join(dir, 'agents.yaml');
  const demo = fs.readFileSync(path.join(__dirname, '../../bot/handoff/demoAgents.yaml'), 'utf8');
  const withTeams = demo
    .replace(/( {2}- id: wang\n)/, `$1    teamsAadObjectId: ${WANG.aadObjectId}\n`)
    .replace(/( {2}- id: alice\n)/, `$1    teamsAadObjectId: ${ALICE.aadObjectId}\n`)
    .replace(/( {2}- id: lin\n)/, `$1    teamsAadObjectId: ${LIN.aadObjectId}\n`);
  fs.writeFileSync(file, withTeams);
  return file;
}

/**
 * A stand-in Teams, a bot whose agents' channel is in it (demo staff from `agentsFile()`, as
 * `file`), and the agents' side of that channel: started before a file's tests, stopped after
 * them. Read `kefu` inside tests (it exists once beforeAll ran).
 */
export function kefuWithTeamsAgents(): { readonly teams: TeamsConnector; readonly kefu: RunningKefu; readonly side: TeamsAgentSide; readonly file: string } {
  const file = agentsFile();
  const teams = new TeamsConnector();
  let kefu: RunningKefu | undefined;
  beforeAll(async () => {
    await teams.start();
    kefu = await startKefu({ AGENTS_FILE: file, AGENT_TEAMS_CONVERSATION: CHANNEL, AGENT_TEAMS_SERVICE_URL: teams.url, AGENT_TEAMS_TENANT_ID: TENANT });
  });
  afterAll(async () => {
    await kefu?.stop();
    await teams.stop();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
  const started = (): RunningKefu => {
    if (!kefu) throw new Error('kefuWithTeamsAgents: used before beforeAll ran');
    return kefu;
  };
  const side = new TeamsAgentSide(() => started().url, teams, TENANT);
  return {
    teams,
    get kefu() {
      return started();
    },
    side,
    file,
  };
}
