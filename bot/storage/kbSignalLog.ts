import fs from 'node:fs';
import path from 'node:path';
import type { KbSignal } from '../../dialogs/rootMachine';
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

/** Appends one JSON line per signal, so authors can read the file with any tool. */
export class JsonlKbSignalLog implements KbSignalLog {
  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  async append(signal: KbSignal, conversation: string): Promise<void> {
    await fs.promises.appendFile(this.file, `${JSON.stringify(stored(signal, conversation))}\n`, 'utf8');
  }

  async list(): Promise<StoredKbSignal[]> {
    if (!fs.existsSync(this.file)) return [];
    const text = await fs.promises.readFile(this.file, 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StoredKbSignal);
  }
}
