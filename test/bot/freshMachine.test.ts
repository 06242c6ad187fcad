import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser } from '../support/browser';
import { PostgresServer } from '../support/postgres';
import { CHROMIUM, findProgram, INITDB, missingProgramMessage, POSTGRES, postgresFolders, REDIS_CLI, REDIS_SERVER, requireProgram } from '../support/programs';
import { RedisServer } from '../support/redis';
import { RedisCluster } from '../support/redisCluster';

/**
 * The README's test command on a machine without the Debian packages the tests need: the
 * tests name what is missing in one line, and `npm run test:fresh` (test/fresh.sh) installs it
 * with apt-get, or says in one line what to install when it cannot. A PATH of links to every
 * program but the hidden ones stands in for the bare machine; a fake apt-get records its calls.
 */
const ROOT = path.resolve(__dirname, '../..');
const HIDDEN = [REDIS_SERVER, REDIS_CLI, CHROMIUM];
const scratch: string[] = [];

afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-fresh-'));
  scratch.push(dir);
  return dir;
}

/** Runs `body` with these variables set (undefined: unset), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(vars);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

/** The error's message; what started anyway is stopped again, so a failing test leaves nothing running. */
async function rejection(promise: Promise<{ destroy(): Promise<void> } | { close(): Promise<void> }>): Promise<string> {
  return promise.then(
    async (started) => {
      await ('destroy' in started ? started.destroy() : started.close());
      return 'resolved';
    },
    (error: Error) => error.message,
  );
}

describe('a test that needs a missing program fails with one line naming it', () => {
  const noOverrides = { REDIS_SERVER_PATH: undefined, REDIS_CLI_PATH: undefined, CHROMIUM_PATH: undefined };

  test('redis-server not on PATH', async () => {
    const message = await withEnv({ ...noOverrides, PATH: tempDir() }, () => rejection(RedisServer.start()));
    expect(message).toBe('redis-server not found on PATH: install the Debian package redis-server (npm run test:fresh does it)');
  });

  test('REDIS_SERVER_PATH pointing nowhere is not replaced by the one on PATH', async () => {
    const nowhere = path.join(tempDir(), 'redis-server');
    const message = await withEnv({ REDIS_SERVER_PATH: nowhere }, () => rejection(RedisServer.start()));
    expect(message).toBe(
      `redis-server not found at ${nowhere} (REDIS_SERVER_PATH): install the Debian package redis-server (npm run test:fresh does it), or correct REDIS_SERVER_PATH`,
    );
  });

  test('redis-cli missing: the cluster says so before starting any node', async () => {
    const nowhere = path.join(tempDir(), 'redis-cli');
    const message = await withEnv({ REDIS_CLI_PATH: nowhere, REDIS_SERVER_PATH: path.join(tempDir(), 'redis-server') }, () => rejection(RedisCluster.start()));
    expect(message).toBe(`redis-cli not found at ${nowhere} (REDIS_CLI_PATH): install the Debian package redis-tools (npm run test:fresh does it), or correct REDIS_CLI_PATH`);
  });

  test('Chromium: CHROMIUM_PATH pointing to a missing file, or none on PATH', async () => {
    const nowhere = path.join(tempDir(), 'chromium');
    expect(await withEnv({ CHROMIUM_PATH: nowhere }, () => rejection(launchBrowser()))).toBe(
      `chromium not found at ${nowhere} (CHROMIUM_PATH): install the Debian package chromium (npm run test:fresh does it), or correct CHROMIUM_PATH`,
    );
    expect(await withEnv({ ...noOverrides, PATH: tempDir() }, () => rejection(launchBrowser()))).toBe(
      'chromium not found on PATH: install the Debian package chromium (npm run test:fresh does it)',
    );
  });

  test('PostgreSQL off PATH is found where Debian puts it, the newest major first', () => {
    const root = tempDir();
    for (const major of ['9.6', '15', '17', 'common']) fs.mkdirSync(path.join(root, major));
    expect(postgresFolders(root)).toEqual(['17', '15', '9.6'].map((major) => path.join(root, major, 'bin')));
    const onlyNode = tempDir();
    expect(findProgram(POSTGRES, { PATH: onlyNode })).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin\/postgres$/);
    expect(path.dirname(findProgram(INITDB, { PATH: onlyNode }) ?? '')).toBe(path.dirname(findProgram(POSTGRES, { PATH: onlyNode }) ?? 'none'));
    expect(missingProgramMessage(POSTGRES, { PATH: onlyNode, POSTGRES_BIN_DIR: onlyNode })).toBe(
      `postgres not found in ${onlyNode} (POSTGRES_BIN_DIR): install the Debian package postgresql (npm run test:fresh does it), or correct POSTGRES_BIN_DIR`,
    );
    expect(missingProgramMessage(POSTGRES, { PATH: onlyNode })).toBe(
      'postgres not found on PATH or in /usr/lib/postgresql/*/bin: install the Debian package postgresql (npm run test:fresh does it)',
    );
  });

  test('PostgreSQL: POSTGRES_BIN_DIR naming a folder without postgres', async () => {
    const nowhere = tempDir();
    expect(await withEnv({ POSTGRES_BIN_DIR: nowhere }, () => rejection(PostgresServer.start()))).toBe(
      `postgres not found in ${nowhere} (POSTGRES_BIN_DIR): install the Debian package postgresql (npm run test:fresh does it), or correct POSTGRES_BIN_DIR`,
    );
  });
});

describe('npm run test:fresh on a machine without chromium, redis-server and redis-cli', () => {
  // The real programs, resolved before anything is hidden; the fake apt-get "installs" them.
  const real = () => Object.fromEntries(HIDDEN.map((program) => [program.name, requireProgram(program)]));

  /** A PATH with everything of the real one but the hidden programs, and fakes of apt-get, sudo, id and fc-list. */
  function bareMachine(options: { uid: number; sudo: boolean; aptInstalls: boolean; aptFails?: boolean; noEmojiFont?: boolean; postgresDir?: string }): {
    bin: string;
    aptLog: string;
  } {
    const bin = tempDir();
    const aptLog = path.join(bin, 'apt-get.log');
    // postgres and initdb are left off PATH, as Debian's package leaves them: test:fresh finds them in /usr/lib/postgresql/<major>/bin.
    const left = new Set([...HIDDEN.map((program) => program.name), POSTGRES.name, INITDB.name, 'apt-get', 'sudo', 'id', 'fc-list']);
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter((entry) => entry !== '' && fs.existsSync(entry))) {
      for (const name of fs.readdirSync(dir)) {
        if (left.has(name) || fs.existsSync(path.join(bin, name))) continue;
        fs.symlinkSync(path.join(dir, name), path.join(bin, name));
      }
    }
    const install = options.aptInstalls ? Object.entries(real()).map(([name, file]) => `ln -sf '${file}' '${path.join(bin, name)}'`) : [];
    // PostgreSQL's programs land in their own folder (here the one POSTGRES_BIN_DIR names), not on PATH.
    const postgresDir = options.postgresDir;
    if (options.aptInstalls && postgresDir) install.push(...[POSTGRES, INITDB].map((program) => `ln -sf '${requireProgram(program)}' '${path.join(postgresDir, program.name)}'`));
    const script = (lines: string[]) => `#!/bin/sh\n${lines.join('\n')}\n`;
    fs.writeFileSync(path.join(bin, 'apt-get'), script([`echo "$DEBIAN_FRONTEND $*" >> '${aptLog}'`, ...(options.aptFails ? ['exit 100'] : []), 'if [ "$1" = install ]; then', ':', ...install, 'fi']), { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'id'), script([`echo ${options.uid}`]), { mode: 0o755 });
    // The CJK and emoji fonts are there, whatever this machine has (unless the test says no emoji
    // font): the packages asked for stay the three above.
    const fonts = options.noEmojiFont ? ['case "$*" in *lang=zh*) echo "WenQuanYi Zen Hei";; esac'] : ['echo "WenQuanYi Zen Hei"'];
    fs.writeFileSync(path.join(bin, 'fc-list'), script(fonts), { mode: 0o755 });
    if (options.sudo) fs.writeFileSync(path.join(bin, 'sudo'), script([`echo "sudo $*" >> '${aptLog}'`, 'exec "$@"']), { mode: 0o755 });
    return { bin, aptLog };
  }

  /** Runs the README's test command, listing the tests instead of running them (the suite would run itself). */
  async function testFresh(bin: string, postgresDir = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, PATH: bin, REDIS_SERVER_PATH: '', REDIS_CLI_PATH: '', CHROMIUM_PATH: '', POSTGRES_BIN_DIR: postgresDir };
    return promisify(execFile)('npm', ['run', '--silent', 'test:fresh', '--', '--listTests'], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    );
  }

  const aptCalls = (aptLog: string) => (fs.existsSync(aptLog) ? fs.readFileSync(aptLog, 'utf8').trim().split('\n') : []);

  test('as root: apt-get installs exactly the missing packages, then the tests run', async () => {
    const { bin, aptLog } = bareMachine({ uid: 0, sudo: false, aptInstalls: true });
    const run = await testFresh(bin);
    expect(aptCalls(aptLog)).toEqual(['noninteractive update -q', 'noninteractive install -y -q --no-install-recommends chromium redis-server redis-tools']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(path.join(ROOT, 'test', 'bot', 'freshMachine.test.ts'));
  });

  test('without an emoji font: fonts-noto-color-emoji is installed too, so 👍 on a button is no empty box in the screenshots', async () => {
    const { bin, aptLog } = bareMachine({ uid: 0, sudo: false, aptInstalls: true, noEmojiFont: true });
    const run = await testFresh(bin);
    expect(aptCalls(aptLog)).toEqual(['noninteractive update -q', 'noninteractive install -y -q --no-install-recommends chromium redis-server redis-tools fonts-noto-color-emoji']);
    expect(run.code).toBe(0);
  });

  test('without PostgreSQL (POSTGRES_BIN_DIR an empty folder): postgresql is installed too, named once', async () => {
    const postgresDir = tempDir();
    const { bin, aptLog } = bareMachine({ uid: 0, sudo: false, aptInstalls: true, postgresDir });
    const run = await testFresh(bin, postgresDir);
    expect(aptCalls(aptLog)).toEqual(['noninteractive update -q', 'noninteractive install -y -q --no-install-recommends chromium redis-server redis-tools postgresql']);
    expect(run.code).toBe(0);
    expect(fs.readdirSync(postgresDir).sort()).toEqual(['initdb', 'postgres']);
  });

  test('when apt-get leaves PostgreSQL missing: the line names postgres and initdb in POSTGRES_BIN_DIR', async () => {
    const postgresDir = tempDir();
    const { bin } = bareMachine({ uid: 0, sudo: false, aptInstalls: false, postgresDir });
    const run = await testFresh(bin, postgresDir);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(
      `test:fresh: still missing after apt-get install: chromium,redis-server,redis-cli,postgres in ${postgresDir} (POSTGRES_BIN_DIR),initdb in ${postgresDir} (POSTGRES_BIN_DIR)`,
    );
    expect(run.stdout).toBe('');
  });

  test('as a user with sudo: the same through sudo', async () => {
    const { bin, aptLog } = bareMachine({ uid: 1000, sudo: true, aptInstalls: true });
    const run = await testFresh(bin);
    expect(aptCalls(aptLog)).toEqual([
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q',
      'noninteractive update -q',
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium redis-server redis-tools',
      'noninteractive install -y -q --no-install-recommends chromium redis-server redis-tools',
    ]);
    expect(run.code).toBe(0);
  });

  test('as a user without sudo: one line naming the packages, nothing installed, no test run', async () => {
    const { bin, aptLog } = bareMachine({ uid: 1000, sudo: false, aptInstalls: true });
    const run = await testFresh(bin);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim()).toBe(
      'test:fresh: the tests need the Debian packages chromium redis-server redis-tools: run this as root or install them (apt-get install chromium redis-server redis-tools)',
    );
    expect(run.stdout).toBe('');
    expect(aptCalls(aptLog)).toEqual([]);
  });

  test('when apt-get leaves a program missing: one line naming it, no test run', async () => {
    const { bin } = bareMachine({ uid: 0, sudo: false, aptInstalls: false });
    const run = await testFresh(bin);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toBe('test:fresh: still missing after apt-get install: chromium,redis-server,redis-cli');
    expect(run.stdout).toBe('');
  });

  test('when apt-get fails (no network, unknown package): one line naming the packages, no test run', async () => {
    const { bin, aptLog } = bareMachine({ uid: 0, sudo: false, aptInstalls: true, aptFails: true });
    const run = await testFresh(bin);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toBe('test:fresh: apt-get could not install chromium redis-server redis-tools: install them and run again');
    expect(aptCalls(aptLog)).toEqual(['noninteractive update -q']);
    expect(run.stdout).toBe('');
  });

  test('on a ready machine: nothing installed', async () => {
    const { bin, aptLog } = bareMachine({ uid: 0, sudo: false, aptInstalls: false });
    for (const [name, file] of Object.entries(real())) fs.symlinkSync(file, path.join(bin, name));
    const run = await testFresh(bin);
    expect(aptCalls(aptLog)).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

test("CI runs the README's test command, so a green CI proves the quick start", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'));
  const commands = (/```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? '').split('\n').map((line) => line.replace(/#.*/, '').trim());
  const testCommand = commands.find((command) => command.includes('test'));
  expect(testCommand).toBe('npm run test:fresh');
  const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n').map((line) => line.trim());
  expect(ci).toContain(testCommand);
  // The fonts of the screenshots and the tests' PostgreSQL, up front as test:fresh would install them.
  expect(ci.find((line) => line.startsWith('apt-get install'))?.split(' ')).toEqual(expect.arrayContaining(['fonts-wqy-zenhei', 'fonts-noto-color-emoji', 'postgresql']));
});
