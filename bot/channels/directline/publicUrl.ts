import type { IncomingMessage } from 'node:http';

/**
 * The addresses the embedded Direct Line hands out. They come from configuration
 * (PUBLIC_URL) or from the connection itself, never from the request's Host or
 * X-Forwarded-* headers, which the caller writes: a stored attachment link made from them
 * would send agents wherever an anonymous uploader liked.
 */
export const ATTACHMENTS_PATH = '/v3/directline/attachments/';

const ATTACHMENT_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What attachment links start with: PUBLIC_URL, else this server on loopback (`http://127.0.0.1:<port>`). */
export const attachmentBase = (publicUrl: string | undefined, loopback: string) => publicUrl ?? loopback;

export const attachmentUrl = (base: string, id: string) => `${base}${ATTACHMENTS_PATH}${id}`;

/**
 * This server's own path for `url` when it is one of the attachment links made from
 * `base`; undefined for every other URL (another host, another path, a look-alike).
 */
export function ownAttachmentPath(base: string, url: string): string | undefined {
  const prefix = `${base}${ATTACHMENTS_PATH}`;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length);
  return ATTACHMENT_ID.test(id) ? `${ATTACHMENTS_PATH}${id}` : undefined;
}

/** The origin the connection arrived on: the server's own address and port, as the socket has it. */
export function connectionOrigin(req: IncomingMessage): string {
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
}

/** The WebSocket origin of an http(s) origin. */
export const webSocketOrigin = (origin: string) => origin.replace(/^http/, 'ws');
