import type { Route, Router } from '../../knowledge/route';
import { cachedRouter } from '../../knowledge/routeCache';
import { realKnowledge } from '../support/knowledge';

/** A router that counts its calls and answers with the real one. */
function counting(inner: Router) {
  const counted = { calls: 0 };
  const router: Router = {
    route(text, locale) {
      counted.calls++;
      return inner.route(text, locale);
    },
    entry: (id, locale) => inner.entry(id, locale),
  };
  return { router, counted };
}

test('a message many users send is routed once, and everyone gets the route the router gives', () => {
  const { router: real } = realKnowledge();
  const { router, counted } = counting(real);
  const cached = cachedRouter(() => router);
  const messages = ['忘记密码怎么办', '收不到短信验证码怎么办？', 'how do I unlock my account', '手机号'];
  for (let user = 0; user < 50; user++) for (const text of messages) expect(cached.route(text, 'zh-CN')).toEqual(real.route(text, 'zh-CN'));
  expect(counted.calls).toBe(messages.length);
  // The locale hint is part of what a route depends on.
  expect(cached.route('手机号', 'en-US')).toEqual(real.route('手机号', 'en-US'));
  expect(counted.calls).toBe(messages.length + 1);
});

test('a caller changing its route cannot change what the next user is told', () => {
  const cached = cachedRouter(() => realKnowledge().router);
  const first = cached.route('手机号', 'zh-CN') as Route & { decision: 'clarify' };
  expect(first.decision).toBe('clarify');
  first.candidates.splice(0, first.candidates.length, 'password-forgot');
  first.results.length = 0;
  expect(cached.route('手机号', 'zh-CN')).toEqual(realKnowledge().router.route('手机号', 'zh-CN'));
});

test('after a knowledge base reload nothing routed by the old one is served; long messages and old entries are not kept', () => {
  const fixed = (entryId: string): Router => ({
    route: (_text, locale) => ({ decision: 'answer', entryId, locale: locale ?? 'zh-CN', results: [] }),
    entry: () => undefined,
  });
  let current = counting(fixed('before'));
  const cached = cachedRouter(() => current.router, 2);
  expect(cached.route('问题', 'zh-CN')).toEqual(expect.objectContaining({ entryId: 'before' }));
  current = counting(fixed('after'));
  expect(cached.route('问题', 'zh-CN')).toEqual(expect.objectContaining({ entryId: 'after' }));
  const long = '我'.repeat(201);
  cached.route(long, 'zh-CN');
  cached.route(long, 'zh-CN');
  expect(current.counted.calls).toBe(3);
  // At most `size` routes are kept: the one used longest ago goes first.
  cached.route('二', 'zh-CN');
  cached.route('三', 'zh-CN');
  cached.route('问题', 'zh-CN');
  expect(current.counted.calls).toBe(6);
});
