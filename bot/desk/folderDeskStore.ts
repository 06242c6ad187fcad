import fs from 'node:fs';
import path from 'node:path';
import { EMPTY_DESK, type DeskState } from '../../knowledge/desk/draft';
import { parseDesk, serializeDesk, type DeskStore } from '../../knowledge/desk/store';

/** A lock older than this was left by a process that died holding it. */
const STALE_LOCK_MS = 10_000;

/**
 * The desk's state as one JSON file (`desk.json` in the versions folder's `desk/`). The
 * compare-and-set holds a lock file (created exclusively) around read, compare and rename, so
 * two processes on one folder cannot both write from the same revision.
 */
export class FolderDeskStore implements DeskStore {
  private readonly file: string;
  private readonly lock: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, 'desk.json');
    this.lock = path.join(dir, 'desk.lock');
  }

  async read(): Promise<DeskState> {
    try {
      return parseDesk(await fs.promises.readFile(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_DESK;
      throw error;
    }
  }

  async write(next: DeskState): Promise<boolean> {
    const json = serializeDesk(next);
    fs.mkdirSync(this.dir, { recursive: true });
    for (let attempt = 0; !this.tryLock(); attempt++) {
      if (attempt > 200) throw new Error(`the knowledge desk's lock ${this.lock} is held`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    try {
      if ((await this.read()).revision !== next.revision - 1) return false;
      const temp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, json);
      fs.renameSync(temp, this.file);
      return true;
    } finally {
      fs.rmSync(this.lock, { force: true });
    }
  }

  private tryLock(): boolean {
    try {
      fs.writeFileSync(this.lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(this.lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(this.lock, { force: true });
      return false;
    }
  }
}
