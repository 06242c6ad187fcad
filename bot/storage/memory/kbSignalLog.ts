import type { KbSignal } from '../../../domain/kbSignal';
import { stored, type KbSignalLog, type StoredKbSignal } from '../kbSignalLog';

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
