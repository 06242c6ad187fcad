import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { INITDB, POSTGRES, requireProgram } from './programs';
import { freePort } from './redis';

// A loaded 2-core machine with other helpers' servers starting too: initdb plus a first
// start can take many seconds there.
const READY_WITHIN_MS = 30_000;
const USER = 'kefu';
const DATABASE = 'kefu';
/** The account Debian's postgresql package creates; initdb and postgres refuse to run as root. */
const SERVER_ACCOUNT = 'postgres';

const runningAsRoot = (): boolean => process.getuid?.() === 0;

/** The command line that runs `binary` as a user PostgreSQL accepts: ourselves, or the postgres account when we are root. */
function asServerUser(binary: string, args: string[]): [string, string[]] {
  if (!runningAsRoot()) return [binary, args];
  return ['runuser', ['-u', SERVER_ACCOUNT, '--', binary, ...args]];
}

function serverAccountIds(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${SERVER_ACCOUNT}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(`running as root, the tests' PostgreSQL needs the account ${SERVER_ACCOUNT} (the Debian package postgresql creates it)`);
  }
  return { uid: Number(uid), gid: Number(gid) };
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Runs one statement on its own connection, closed whatever happens. */
export async function queryOnce(url: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A server going away mid-query emits 'error' on the client as well as rejecting the query.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<Record<string, unknown>>(sql, values);
    return result.rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function answersQueries(url: string): Promise<boolean> {
  return queryOnce(url, 'SELECT 1').then(
    () => true,
    () => false,
  );
}

/** The pid in postmaster.pid's first line, when that file is there. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * A PostgreSQL server of the test's own: initdb into a temporary folder, on a free loopback
 * port, its socket in that folder, trust authentication for the user kefu and a database
 * kefu. fsync and synchronous_commit stay as PostgreSQL sets them, so records committed
 * before a stop are there after the restart that fault tests make. Nothing else is touched.
 */
export class PostgresServer {
  private process: ChildProcess | undefined;
  /** The postmaster itself (as root, the child of runuser): the only process stop() signals. */
  private serverPid: number | undefined;

  private constructor(
    private readonly binaries: { postgres: string; initdb: string },
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<PostgresServer> {
    const binaries = { postgres: requireProgram(POSTGRES), initdb: requireProgram(INITDB) };
    const server = new PostgresServer(binaries, await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-pg-')));
    try {
      await server.initialise();
      await server.start();
      await queryOnce(server.urlOf('postgres'), `CREATE DATABASE ${DATABASE}`);
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get url(): string {
    return this.urlOf(DATABASE);
  }

  private urlOf(database: string): string {
    return `postgres://${USER}@127.0.0.1:${this.port}/${database}`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private get logFile(): string {
    return path.join(this.dir, 'server.log');
  }

  private async initialise(): Promise<void> {
    if (runningAsRoot()) {
      const { uid, gid } = serverAccountIds();
      fs.chownSync(this.dir, uid, gid);
    }
    // --no-sync only skips flushing initdb's own files to disk (a crash of the whole machine
    // mid-test is not a case); the server started afterwards keeps fsync on.
    const [command, args] = asServerUser(this.binaries.initdb, ['-D', this.dataDir, '--auth=trust', '-U', USER, '-E', 'UTF8', '--no-locale', '--no-sync']);
    await promisify(execFile)(command, args, { maxBuffer: 4 * 1024 * 1024 }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb into ${this.dataDir} failed: ${error.stderr?.trim() || error.message}`);
    });
  }

  /** Starts the server on its folder and port (the data of an earlier run kept); resolves once it answers SELECT 1. */
  async start(): Promise<void> {
    const [command, args] = asServerUser(this.binaries.postgres, [
      '-D',
      this.dataDir,
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=100',
    ]);
    // Its log goes to a file, not a pipe nobody reads (a full pipe would stall the server).
    const log = fs.openSync(this.logFile, 'a');
    try {
      this.process = spawn(command, args, { stdio: ['ignore', log, log] });
    } finally {
      fs.closeSync(log);
    }
    const child = this.process;
    const deadline = Date.now() + READY_WITHIN_MS;
    while (!((await portOpen(this.port)) && (await answersQueries(this.urlOf('postgres'))))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres on port ${this.port} exited at start: ${this.logTail()}`);
      if (Date.now() > deadline) throw new Error(`postgres on port ${this.port} did not answer within ${READY_WITHIN_MS / 1000} s: ${this.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pid = postmasterPid(this.dataDir);
    const ours = pid !== undefined && (pid === child.pid || parentPid(pid) === child.pid);
    if (!ours) throw new Error(`postgres on port ${this.port} answers, but ${path.join(this.dataDir, 'postmaster.pid')} does not name the process started here`);
    this.serverPid = pid;
  }

  /** Stops this server (fast shutdown: sessions cut, committed work kept), waiting until it has exited and its port is closed. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // SIGINT is PostgreSQL's fast shutdown; runuser (as root) would turn a signal into
      // SIGTERM and then SIGKILL, so the postmaster is signalled itself.
      try {
        if (this.serverPid !== undefined) process.kill(this.serverPid, 'SIGINT');
        else child.kill('SIGINT');
      } catch {
        // It ended on its own between the check and the signal (ESRCH); 'exit' still comes.
      }
      await exited;
    }
    this.process = undefined;
    this.serverPid = undefined;
    const deadline = Date.now() + READY_WITHIN_MS;
    while (await portOpen(this.port)) {
      if (Date.now() > deadline) throw new Error(`port ${this.port} still open after postgres exited`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private logTail(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join(' | ');
    } catch {
      return '(no log)';
    }
  }
}
