import { main } from '../../bot/kb/cli';
import { startInstance, type Instance } from '../support/cluster';

/** What a newcomer sees when `npm start` starts Kefu, and the knowledge base's size told one way everywhere. */

let kefu: Instance;
beforeAll(async () => {
  kefu = await startInstance({});
});
afterAll(async () => {
  await kefu.stop();
});

/** `kb check`'s summary line. */
async function kbCheck(): Promise<string> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    expect(await main(['check'], { KB_SIGNALS_FILE: '' })).toBe(0);
  } finally {
    log.mockRestore();
  }
  return out.join('\n');
}

test('the start-up log names the URL to open, and Node prints no deprecation notice', async () => {
  // The instance listens on 127.0.0.1 (HOST); on the default 0.0.0.0 the URL says localhost (test/bot/openUrl.test.ts).
  const url = `${kefu.url}/`;
  expect(kefu.listening).toEqual(expect.objectContaining({ url, msg: `kefu listening: open ${url}` }));
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<html');
  expect(kefu.stderr()).not.toContain('DEP0111');
  expect(kefu.stderr()).not.toContain('DeprecationWarning');
});

test('/healthz, /readyz, the start-up log and kb check count the same entries', async () => {
  const summary = await kbCheck();
  const [, entries, answers, acts, outOfScope] = /OK: (\d+) entries .*: (\d+) answers, (\d+) conversation acts, (\d+) out-of-scope/.exec(summary) ?? [];
  const counts = { entries: Number(entries), answers: Number(answers), acts: Number(acts), outOfScope: Number(outOfScope) };
  expect(counts.entries).toBe(counts.answers + counts.acts + counts.outOfScope);
  expect(counts.answers).toBeGreaterThan(0);
  expect(kefu.listening).toEqual(expect.objectContaining(counts));
  expect(await (await fetch(`${kefu.url}/healthz`)).json()).toEqual({ status: 'ok', version: 0, ...counts });
  expect(await (await fetch(`${kefu.url}/readyz`)).json()).toEqual(expect.objectContaining({ status: 'ready', entries: counts.entries, answers: counts.answers }));
});
