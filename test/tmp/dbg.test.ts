import { launchBrowser } from '../support/browser';
import { startKefu } from '../support/kefuServer';
test('dbg', async () => {
  const kefu = await startKefu();
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push('ERR ' + e.message));
  await page.goto(`${kefu.url}${process.env.DBG_PATH ?? '/agent'}`);
  await new Promise((r) => setTimeout(r, 2000));
  console.log(logs.join('\n'), await page.content());
  await browser.close();
  await kefu.stop();
}, 60000);
