import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import type { Request, Response, Next } from 'restify';

/**
 * Who is at the other end of a request, and whether it is this machine. Every address
 * decision (the Emulator endpoint, the development routes, the demo agents, the Direct
 * Line connector routes, the sign-in and per-address limits) is made here, so they cannot
 * drift apart.
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
 * Where a request comes from, as the per-address limits count it. Without a proxy in front
 * it is the socket's peer. Behind one, `TRUSTED_PROXY_HEADER` names the header the proxy
 * writes: its right-most entry is the address the proxy itself saw (what the proxy appended),
 * so whatever a client puts in the header is to the left of it and never counts.
 * IPv6 clients are counted by their /64: one subscriber holds a whole /64.
 */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustedHeader?: string): string {
  const peer = normalise(req.socket.remoteAddress ?? '');
  const forwarded = normalise(proxiedAddress(req, trustedHeader) ?? '');
  if (forwarded) return `ip:${forwarded}`;
  return `ip:${peer || 'unknown'}`;
}

/**
 * The address the trusted proxy wrote (the right-most entry of its header, without a port),
 * as written; undefined when no header is configured or the request carries none.
 */
function proxiedAddress(req: Pick<IncomingMessage, 'headers'>, trustedHeader: string | undefined): string | undefined {
  if (!trustedHeader) return undefined;
  const raw = req.headers[trustedHeader.toLowerCase()];
  if (raw === undefined) return undefined;
  const entries = (Array.isArray(raw) ? raw.join(',') : raw).split(',');
  return withoutPort(forwardedFor(entries.at(-1)?.trim() ?? ''));
}

/** RFC 7239's `for=192.0.2.60;proto=https` and `for="[2001:db8::1]:443"`: the `for` part; any other entry as is. */
function forwardedFor(entry: string): string {
  const pair = /(?:^|;)\s*for\s*=\s*("?)([^";]*)\1\s*(?:;|$)/i.exec(entry);
  return pair?.[2] ?? entry;
}

/** "1.2.3.4:5678" and "[2001:db8::1]:443", as some proxies write them, without the port. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4?.[1] ?? entry;
}

/** An IPv4 address as is, an IPv6 one as its /64; anything else is not an address (""). */
export function normalise(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (net.isIPv4(address)) return address;
  const zoneless = address.split('%')[0] ?? '';
  if (!net.isIPv6(zoneless)) return '';
  return `${ipv6Groups(zoneless)
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" expanded, an IPv4 tail as two groups). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => Number.parseInt(group, 16));
}

/**
 * Headers in which proxies, CDNs and load balancers name the client's address — one list for
 * every local-only decision. A request carrying any of them came through something that
 * connected on a client's behalf, so it is not this machine's own, whoever that client is.
 */
export const CLIENT_ADDRESS_HEADERS: readonly string[] = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded',
  'forwarded-for',
  'x-original-forwarded-for',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'fastly-client-ip',
  'x-azure-clientip',
  'x-envoy-external-address',
  'fly-client-ip',
  'x-appengine-user-ip',
];

/**
 * A request a program on this machine made directly: from a loopback socket, to a loopback
 * Host (a page re-bound by DNS names its own host), and not sent by a browser on behalf of
 * another site (Fetch Metadata). The client is the one address the rest of the app uses:
 * with `TRUSTED_PROXY_HEADER` set and present, the proxy's word, which must then name a
 * loopback address (a proxy on this machine connects from loopback for anyone). Any other
 * client-address header, or the trusted one naming nothing readable, means "not local".
 * `trustedHeader` is required, not optional, so no caller can forget the configured proxy.
 */
export function isLocalRequest(req: Pick<IncomingMessage, 'socket' | 'headers'>, trustedHeader: string | undefined): boolean {
  const { host, 'sec-fetch-site': site } = req.headers;
  const trusted = trustedHeader?.toLowerCase();
  const proxied = proxiedAddress(req, trusted);
  return (
    isLoopbackAddress(req.socket.remoteAddress ?? '') &&
    (proxied === undefined || isLoopbackAddress(proxied)) &&
    CLIENT_ADDRESS_HEADERS.every((name) => name === trusted || req.headers[name] === undefined) &&
    host !== undefined &&
    isLoopbackUrl(`http://${host}`) &&
    site !== 'cross-site' &&
    site !== 'same-site'
  );
}

/** Route guard: anything but a local request gets 403 and goes no further. */
export function localOnly(trustedHeader: string | undefined): (req: Request, res: Response, next: Next) => void {
  return (req, res, next) => {
    if (isLocalRequest(req, trustedHeader)) return next();
    res.send(403, { error: 'this route answers only requests from this machine' });
    return next(false);
  };
}
