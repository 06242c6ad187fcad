import { AgentClient, DEMO_AGENTS } from '../support/agentClient';
import { kefuForTests } from '../support/kefuServer';

/**
 * Issue 28: everything under /api/knowledge is a lead's. The routes are read from the server
 * itself, so a route added later without the lead check fails here; the table below makes
 * sure the contract's routes are all there.
 */
jest.setTimeout(60_000);

const bot = kefuForTests();

/** Every route of the contract (C28.md), as METHOD path with sample parameters. */
const CONTRACT = [
  'GET /api/knowledge/entries?locale=zh-CN',
  'GET /api/knowledge/entries/zh-CN/password-forgot',
  'PUT /api/knowledge/entries/zh-CN/password-forgot',
  'DELETE /api/knowledge/entries/zh-CN/password-forgot',
  'POST /api/knowledge/entries',
  'POST /api/knowledge/try',
  'GET /api/knowledge/unanswered?locale=zh-CN',
  'POST /api/knowledge/unanswered/abc123/resolve',
  'POST /api/knowledge/evaluate',
  'POST /api/knowledge/publish',
  'GET /api/knowledge/versions',
  'GET /api/knowledge/versions/1',
  'POST /api/knowledge/versions/1/rollback',
];

interface RouteInfo {
  method: string;
  path: string;
}

/** The server's own /api/knowledge routes, parameters filled with samples. */
function mountedRoutes(): string[] {
  const router = (bot.kefu.app.server as unknown as { router: { getRoutes(): Record<string, RouteInfo> } }).router;
  return Object.values(router.getRoutes())
    .filter((route) => String(route.path).startsWith('/api/knowledge'))
    .map((route) => `${route.method.toUpperCase()} ${String(route.path).replace(':locale', 'zh-CN').replace(':id', 'password-forgot').replace(':number', '1').replace(':group', 'abc123')}`);
}

const call = (client: AgentClient, line: string) => {
  const [method = 'GET', path = '/'] = line.split(' ');
  return client.request(method, path, method === 'GET' ? undefined : {});
};

test('every route of the contract is mounted', () => {
  const mounted = mountedRoutes().map((line) => line.split('?')[0]);
  for (const line of CONTRACT) expect(mounted).toContain(line.split('?')[0]);
});

test('every /api/knowledge route answers 401 without a session and 403 to an agent, never its data', async () => {
  const routes = [...new Set([...CONTRACT, ...mountedRoutes()])];
  expect(routes.length).toBeGreaterThanOrEqual(CONTRACT.length);
  const nobody = AgentClient.anonymous(bot.kefu.url);
  const wang = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.wang);
  for (const line of routes) {
    const anonymous = await call(nobody, line);
    expect([line, anonymous.status]).toEqual([line, 401]);
    const agent = await call(wang, line);
    expect([line, agent.status, agent.body]).toEqual([line, 403, { error: 'only leads (role: lead in AGENTS_FILE) can use the knowledge desk' }]);
  }
});

test('a lead lists the entries with their ETags and reads one; the draft starts as what is served', async () => {
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  const list = await lin.get<{ published: number; drafted: boolean; entries: { entry: { id: string; question: string }; etag: string; status: string }[]; removed: string[] }>('/api/knowledge/entries?locale=zh-CN');
  expect(list.status).toBe(200);
  expect(list.body.published).toBe(0);
  expect(list.body.drafted).toBe(false);
  expect(list.body.removed).toEqual([]);
  const forgot = list.body.entries.find((e) => e.entry.id === 'password-forgot');
  expect(forgot).toEqual({ entry: expect.objectContaining({ id: 'password-forgot', locale: 'zh-CN' }), etag: expect.stringMatching(/^[\w-]{8,}$/), status: 'published' });
  expect(list.body.entries.every((e) => e.status === 'published')).toBe(true);

  const response = await lin.raw('/api/knowledge/entries/zh-CN/password-forgot');
  expect(response.status).toBe(200);
  expect(response.headers.get('etag')).toBe(`"${forgot?.etag}"`);
  expect(await response.json()).toEqual(forgot?.entry);
  expect((await lin.get('/api/knowledge/entries/zh-CN/no-such-entry')).status).toBe(404);
  expect((await lin.get('/api/knowledge/entries?locale=fr-FR')).status).toBe(400);
});


test('the console\'s CSRF rule covers the desk: a lead\'s cookie sent by a cross-site form changes nothing', async () => {
  const lin = await AgentClient.signIn(bot.kefu.url, ...DEMO_AGENTS.lin);
  for (const line of CONTRACT.filter((l) => !l.startsWith('GET'))) {
    const [method = 'POST', path = '/'] = line.split(' ');
    const answer = await lin.crossSite(method, path, 'message=x&force=true', 'application/x-www-form-urlencoded');
    expect([line, answer.status, answer.body]).toEqual([line, 403, { error: expect.stringMatching(/^state-changing requests need Content-Type: application\/json/) }]);
  }
  expect((await lin.get<{ versions: unknown[] }>('/api/knowledge/versions')).body.versions).toEqual([]);
});
