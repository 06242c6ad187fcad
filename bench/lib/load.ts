import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { BenchConnector } from './connector';
import { percentile } from './stats';

export interface LoadResult {
  turns: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Closed-loop load: `conversations` users, each sending the next line of `script` as soon as
 * the previous one is answered, for `seconds` (after a warm-up second that is not counted).
 */
export async function closedLoop(connector: BenchConnector, botUrl: string, conversations: number, seconds: number, script: readonly string[], tag: string): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const warmUntil = Date.now() + 1000;
  const stopAt = warmUntil + seconds * 1000;
  await Promise.all(
    Array.from({ length: conversations }, async (_, i) => {
      const id = `${tag}-${i}-${Date.now()}`;
      for (let n = 0; Date.now() < stopAt; n++) {
        try {
          const took = await connector.send(botUrl, id, script[n % script.length] ?? '');
          if (Date.now() > warmUntil) latencies.push(took);
        } catch {
          errors++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }),
  );
  return { turns: latencies.length, errors, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Starts a compiled script (dist/…) as a child process and waits for the JSON line announcing its port. */
export async function startScript(script: string, env: Record<string, string>, announce: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.resolve(__dirname, '..', '..', script)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes(announce)) resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
