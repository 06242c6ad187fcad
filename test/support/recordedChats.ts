import type { AgentClient } from './agentClient';
import type { FakeChannel } from './channel';
import { queryOnce } from './postgres';

/**
 * What the records tests share: an instance's readiness as an operator reads it, a chat with
 * a person driven step by step as users and agents do it, and the records PostgreSQL holds.
 */

export interface Readiness {
  status: number;
  body: { status: string; store: string; database?: string; outbox?: number };
}

export async function readiness(url: string): Promise<Readiness> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** The user asks for a person and the agent claims the chat; returns the chat's id. */
export async function openChat(channel: FakeChannel, agent: AgentClient, user: string): Promise<string> {
  const before = new Set((await agent.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue.map((h) => h.id));
  const [queued] = await channel.ask(user, '转人工');
  if (!queued?.text?.includes('排在第')) throw new Error(`${user} was not queued: ${queued?.text}`);
  const id = (await agent.get<{ queue: { id: string }[] }>('/api/agent/board')).body.queue.find((h) => !before.has(h.id))?.id;
  if (!id) throw new Error(`${user}'s chat is not in the queue`);
  const count = channel.messages(user).length;
  const claimed = await agent.post(`/api/agent/chats/${id}/claim`);
  if (claimed.status !== 200) throw new Error(`claim of ${id} answered ${claimed.status}`);
  const [joined] = (await channel.waitForMessages(user, count + 1)).slice(count);
  if (!joined?.text?.includes('已接入')) throw new Error(`${user} was not told an agent joined: ${joined?.text}`);
  return id;
}

/** The agent answers, notes, resolves; the user rates. */
export async function finishChat(channel: FakeChannel, agent: AgentClient, user: string, id: string, chat: { reply: string; note: string; rating: number }): Promise<void> {
  const count = channel.messages(user).length;
  const replied = await agent.post(`/api/agent/chats/${id}/messages`, { text: chat.reply });
  if (replied.status !== 200) throw new Error(`message to ${id} answered ${replied.status}`);
  await channel.waitForMessages(user, count + 1);
  const noted = await agent.post(`/api/agent/chats/${id}/notes`, { text: chat.note });
  if (noted.status !== 200) throw new Error(`note on ${id} answered ${noted.status}`);
  const resolved = await agent.post(`/api/agent/chats/${id}/resolve`);
  if (resolved.status !== 200) throw new Error(`resolve of ${id} answered ${resolved.status}`);
  const [asked] = (await channel.waitForMessages(user, count + 2)).slice(count + 1);
  if (!asked?.text?.includes('请为客服的服务打个分')) throw new Error(`${user} was not asked to rate: ${asked?.text}`);
  const [thanks] = await channel.ask(user, String(chat.rating));
  if (!thanks?.text?.includes('感谢您的评价')) throw new Error(`${user}'s rating was not taken: ${thanks?.text}`);
}

export interface StoredLine {
  conversation: string;
  sender: string;
  text: string;
  agentName?: string;
}

/** Every transcript line PostgreSQL holds for conversations whose key starts with `prefix`, in order. */
export async function storedLines(url: string, prefix: string): Promise<StoredLine[]> {
  const rows = await queryOnce(url, "SELECT conversation, sender, body->>'text' AS text, body->>'agentName' AS agent FROM conversation_lines WHERE conversation LIKE $1 ORDER BY at, id", [`${prefix}%`]);
  return rows.map((row) => ({ conversation: String(row.conversation), sender: String(row.sender), text: String(row.text), ...(row.agent ? { agentName: String(row.agent) } : {}) }));
}
