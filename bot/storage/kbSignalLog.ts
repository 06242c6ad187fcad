import fs from 'node:fs';
import path from 'node:path';
import type { KbSignal } from '../../dialogs/root/events';
import { maskText } from '../privacy/mask';

/** A signal for the knowledge-base authors, as stored: masked, timestamped, conversation hashed. */
export type StoredKbSignal = KbSignal & { at: string; conversation: string };

export interface KbSignalLog {
  append(signal: KbSignal, conversation: string): Promise<void>;
  /** Newest last. */
  list(): Promise<StoredKbSignal[]>;
}

export function stored(signal: KbSignal, conversation: string): StoredKbSignal {
  return { ...signal, question: maskText(signal.question), at: new Date().toISOString(), conversation };
}

/** Keeps the most recent signals in memory (tests, or when no file is configured). */
export class MemoryKbSignalLog implements KbSignalLog {
  private readonly items: StoredKbSignal[] = [];
  constructor(private readonly capacity = 10000) {}

  async append(signal: KbSignal, conversation: string): Promise<void> {
    this.items.push(stored(signal, conversation));
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  async list(): Promise<StoredKbSignal[]> {
    return [...this.items];
  }
}

const missingIsEmpty = (error: NodeJS.ErrnoException): string => {
  if (error.code === 'ENOENT') return '';
  throw error;
};

/**
 * Appends one JSON line per signal, so authors can read the file with any tool. The file is
 * rotated before it would pass `maxBytes` (kb-signals.jsonl → .1 → .2 …), and only `keep`
 * rotated files are kept: the signals of a busy or flooded bot take bounded disk.
 */
export class JsonlKbSignalLog implements KbSignalLog {
  private size: number | undefined;
  /** Appends one at a time, so a rotation never interleaves with a write. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly limits: { maxBytes: number; keep: number } = { maxBytes: 10 * 1024 * 1024, keep: 5 },
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  append(signal: KbSignal, conversation: string): Promise<void> {
    const line = `${JSON.stringify(stored(signal, conversation))}\n`;
    const write = this.queue.then(() => this.write(line));
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async write(line: string): Promise<void> {
    const bytes = Buffer.byteLength(line);
    this.size ??= await fs.promises.stat(this.file).then((s) => s.size, () => 0);
    if (this.size > 0 && this.size + bytes > this.limits.maxBytes) await this.rotate();
    await fs.promises.appendFile(this.file, line, 'utf8');
    this.size += bytes;
  }

  private async rotate(): Promise<void> {
    await fs.promises.rm(this.rotated(this.limits.keep), { force: true });
    for (let n = this.limits.keep - 1; n >= 1; n--) await fs.promises.rename(this.rotated(n), this.rotated(n + 1)).catch(() => undefined);
    await fs.promises.rename(this.file, this.rotated(1));
    this.size = 0;
  }

  private rotated(n: number): string {
    return `${this.file}.${n}`;
  }

  /** The kept rotated files and the current one, oldest first. */
  async list(): Promise<StoredKbSignal[]> {
    const files = [...Array.from({ length: this.limits.keep }, (_, i) => this.rotated(this.limits.keep - i)), this.file];
    const texts = await Promise.all(files.map((file) => fs.promises.readFile(file, 'utf8').catch(missingIsEmpty)));
    return texts
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StoredKbSignal);
  }
}
