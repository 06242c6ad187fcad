import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Request, Response, Next } from 'restify';

/**
 * Who is at the other end of a request, and whether it is this machine. Every address
 * decision (the Emulator endpoint, the development routes, the demo agents, the Direct
 * Line connector routes, the sign-in limits) is made here, so they cannot drift apart.
 */

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms (BlockList maps ::ffff:a.b.c.d onto the IPv4 subnet). */
export function isLoopbackAddress(address: string): boolean {
  const family = net.isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * A URL host (IPv6 in brackets) that can only mean this machine. No name but `localhost` is
 * accepted: DNS may answer anything for it, and 0.0.0.0 reaches every local service.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || isLoopbackAddress(host);
}

/** An http(s) URL to a loopback host; anything that does not parse is not one. */
export function isLoopbackUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
}

/**
 * The address per-client limits are counted for: the socket's peer, IPv4-mapped IPv6 written
 * as IPv4 so one client has one key. Behind a reverse proxy this is the proxy.
 */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/** Headers a reverse proxy adds: a proxy on this machine would make every client look local. */
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * A request a program on this machine made directly: from a loopback socket, not through a
 * proxy, to a loopback Host (a page re-bound by DNS names its own host), and not sent by a
 * browser on behalf of another site (Fetch Metadata).
 */
export function isLocalRequest(req: Pick<IncomingMessage, 'socket' | 'headers'>): boolean {
  const { host, 'sec-fetch-site': site } = req.headers;
  return (
    isLoopbackAddress(req.socket.remoteAddress ?? '') &&
    FORWARDED.every((name) => req.headers[name] === undefined) &&
    host !== undefined &&
    isLoopbackUrl(`http://${host}`) &&
    site !== 'cross-site' &&
    site !== 'same-site'
  );
}

/** Route guard: anything but a local request gets 403 and goes no further. */
export function localOnly(req: Request, res: Response, next: Next): void {
  if (isLocalRequest(req)) return next();
  res.send(403, { error: 'this route answers only requests from this machine' });
  return next(false);
}
