import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressLimits } from '../../limits/httpLimits';
import type { Logger } from '../../logger';
import type { ActivitySet, DirectLineStore } from './store';
import type { DirectLineTokens } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const HEARTBEAT_MS = 30_000;

/**
 * The Direct Line WebSocket stream: on connect, everything after the watermark; then each
 * new activity as an ActivitySet. The `t` query parameter must be a token of the same
 * conversation. Dead sockets are found by ping and closed.
 */
export function attachDirectLineStream(
  http: HttpServer,
  deps: { store: DirectLineStore; tokens: DirectLineTokens; logger: Logger; limits?: AddressLimits; maxStreamsPerConversation?: number },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakSet<WebSocket>();
  // Streams open (or being opened) per conversation on this instance, whatever token opened them.
  const open = new Map<string, number>();
  const atCap = new Set<string>();
  const maxStreams = deps.maxStreamsPerConversation ?? Infinity;

  const reject = (socket: Duplex, status: number, reason: string) => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const release = (conversationId: string) => {
    const left = (open.get(conversationId) ?? 1) - 1;
    if (left > 0) open.set(conversationId, left);
    else open.delete(conversationId);
    if (left < maxStreams) atCap.delete(conversationId);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match?.[1]) return reject(socket, 404, 'Not Found');
    const conversationId = decodeURIComponent(match[1]);
    const cred = deps.tokens.read(url.searchParams.get('t') ?? '');
    if (cred.kind !== 'token' || cred.conv !== conversationId) return reject(socket, 403, 'Forbidden');
    const streams = open.get(conversationId) ?? 0;
    if (streams >= maxStreams) {
      // Counted every time, logged once while the conversation stays at the cap.
      deps.limits?.limits.refused('streams-per-conversation', deps.limits.clientOf(req), !atCap.has(conversationId));
      atCap.add(conversationId);
      return reject(socket, 429, 'Too Many Requests');
    }
    // Held from here until the socket closes, however the upgrade ends.
    open.set(conversationId, streams + 1);
    socket.once('close', () => release(conversationId));
    const watermark = url.searchParams.get('watermark') ?? undefined;
    void deps.store.get(conversationId).then((conversation) => {
      if (!conversation) return reject(socket, 404, 'Not Found');
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.add(ws);
        ws.on('pong', () => alive.add(ws));
        ws.on('error', (error) => deps.logger.debug({ err: error }, 'direct line stream error'));
        // Incoming frames are not part of the protocol; the socket is read-only for clients.
        ws.on('message', () => undefined);
        // Subscribe before reading the backlog, holding new activities back until it is
        // sent, so nothing appended in between is lost or sent twice.
        const held: ActivitySet[] = [];
        let live = false;
        const unsubscribe = deps.store.subscribe(conversationId, (set) => (live ? ws.send(JSON.stringify(set)) : held.push(set)));
        ws.on('close', unsubscribe);
        void deps.store.since(conversationId, watermark === '-' ? undefined : watermark).then((backlog) => {
          if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
          for (const set of held) if (Number(set.watermark) > Number(backlog.watermark)) ws.send(JSON.stringify(set));
          live = true;
        });
      });
    });
  };

  http.on('upgrade', onUpgrade);
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS).unref();

  return {
    close() {
      clearInterval(heartbeat);
      http.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      wss.close();
    },
  };
}
