/**
 * Request input read without throwing. Node hands handlers the raw request target and
 * headers; `new URL()` and `decodeURIComponent()` throw on what a client can send
 * ("//host:99999/…", "%E0%A4%A"), and one throw outside a route's promise ends the
 * process. Everything that parses a target or a path segment goes through here, and an
 * unreadable one is the caller's 400.
 */
export interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
}

/** An origin-form target ("/path?query"); anything else (absolute-form, "//authority…", "*") is undefined. */
export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return undefined;
  const mark = raw.indexOf('?');
  const pathname = mark === -1 ? raw : raw.slice(0, mark);
  if (!pathname.split('/').every((segment) => decodeSegment(segment) !== undefined)) return undefined;
  // URLSearchParams leaves malformed escapes as they are instead of throwing.
  return { pathname, query: new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1)) };
}

/** One percent-encoded segment or cookie value, or undefined when its escapes are malformed. */
export function decodeSegment(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
