import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressLimits } from '../../limits/httpLimits';
import type { Logger } from '../../logger';
import type { ActivitySet, DirectLineStore } from './store';
import type { DirectLineTokens } from './tokens';
import { decodeSegment, parseRequestTarget } from '../../http/requestTarget';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;
const HEARTBEAT_MS = 30_000;

/**
 * The Direct Line WebSocket stream: on connect, everything after the watermark; then each
 * new activity as an ActivitySet. The `t` query parameter must be a token of the same
 * conversation. Dead sockets are found by ping and closed.
 */
export function attachDirectLineStream(
  http: HttpServer,
  deps: {
    store: DirectLineStore;
    tokens: DirectLineTokens;
    logger: Logger;
    unavailable(error: unknown): boolean;
    limits?: AddressLimits;
    maxStreamsPerConversation?: number;
  },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const alive = new WeakSet<WebSocket>();
  // Streams open (or being opened) per conversation on this instance, whatever token opened them.
  const streamsOf = new Map<string, number>();
  const atCap = new Set<string>();
  const maxStreams = deps.maxStreamsPerConversation ?? Infinity;

  const reject = (socket: Duplex, status: number, reason: string) => {
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  };

  const release = (conversationId: string) => {
    const left = (streamsOf.get(conversationId) ?? 1) - 1;
    if (left > 0) streamsOf.set(conversationId, left);
    else streamsOf.delete(conversationId);
    if (left < maxStreams) atCap.delete(conversationId);
  };

  const open = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const target = parseRequestTarget(req.url);
    if (!target) return reject(socket, 400, 'Bad Request');
    const match = STREAM_PATH.exec(target.pathname);
    if (!match?.[1]) return reject(socket, 404, 'Not Found');
    const conversationId = decodeSegment(match[1]) ?? '';
    const cred = deps.tokens.read(target.query.get('t') ?? '');
    if (cred.kind !== 'token' || cred.conv !== conversationId) return reject(socket, 403, 'Forbidden');
    const streams = streamsOf.get(conversationId) ?? 0;
    if (streams >= maxStreams) {
      // Counted every time, logged once while the conversation stays at the cap.
      deps.limits?.limits.refused('streams-per-conversation', deps.limits.clientOf(req), !atCap.has(conversationId));
      atCap.add(conversationId);
      return reject(socket, 429, 'Too Many Requests');
    }
    // Held from here until the socket closes, however the upgrade ends.
    streamsOf.set(conversationId, streams + 1);
    socket.once('close', () => release(conversationId));
    const watermark = target.query.get('watermark') ?? undefined;
    const conversation = await deps.store.get(conversationId);
    if (!conversation) return reject(socket, 404, 'Not Found');
    if (socket.destroyed) return;
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
      deps.store.since(conversationId, watermark === '-' ? undefined : watermark).then(
        (backlog) => {
          if (backlog.activities.length > 0) ws.send(JSON.stringify(backlog));
          for (const set of held) if (Number(set.watermark) > Number(backlog.watermark)) ws.send(JSON.stringify(set));
          live = true;
        },
        (error: unknown) => {
          // The client reconnects with its watermark and gets what it missed then.
          deps.logger.warn({ err: error }, 'direct line stream backlog unavailable');
          ws.close(1011, 'try again');
        },
      );
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node stops listening for socket errors once it hands the socket over: a reset while
    // the store answers would otherwise be an uncaught 'error'.
    socket.on('error', (error) => deps.logger.debug({ err: error }, 'direct line upgrade socket error'));
    open(req, socket, head).catch((error: unknown) => {
      const down = deps.unavailable(error);
      deps.logger[down ? 'warn' : 'error']({ err: error }, 'direct line stream could not open');
      reject(socket, down ? 503 : 500, down ? 'Service Unavailable' : 'Internal Server Error');
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
