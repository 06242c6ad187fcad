import type { Route, Router } from './route';
import type { Locale } from './schema';

/** Short messages only: they are the ones users repeat (a button's text, a top question, "你好"). */
const CACHED_TEXT_CHARS = 200;

/**
 * Routing is a pure function of the message, the locale hint and the knowledge base, and the
 * same short messages come from many users: each is routed once per knowledge base and
 * remembered (the `size` most recently used). `current` gives the router of the knowledge base
 * in use; when it changes (a reload), nothing routed by the old one is served again. Every
 * caller gets its own copy of a remembered route.
 */
export function cachedRouter(current: () => Router, size = 500): Router {
  let cachedFor: Router | undefined;
  const routes = new Map<string, Route>();
  return {
    route(text: string, localeHint?: Locale): Route {
      const router = current();
      if (router !== cachedFor) {
        routes.clear();
        cachedFor = router;
      }
      if (text.length > CACHED_TEXT_CHARS || size <= 0) return router.route(text, localeHint);
      const key = `${localeHint ?? ''}\u0000${text}`;
      let route = routes.get(key);
      if (route) routes.delete(key);
      else {
        route = router.route(text, localeHint);
        // Maps keep insertion order: the first key is the one used longest ago.
        if (routes.size >= size) routes.delete(routes.keys().next().value as string);
      }
      routes.set(key, route);
      return structuredClone(route);
    },
    entry: (id, locale) => current().entry(id, locale),
  };
}
