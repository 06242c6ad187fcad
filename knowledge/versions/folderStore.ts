import fs from 'node:fs';
import path from 'node:path';
import { kbVersionSchema, summaryOf, type KbVersion, type VersionSummary } from './schema';
import { DEFAULT_VERSIONS_KEPT, serializeVersion, type VersionStore } from './store';

const FILE = /^v(\d{6,})\.json$/;
const fileName = (number: number) => `v${String(number).padStart(6, '0')}.json`;

/**
 * Versions as JSON files in one folder (the embedded default, `var/kb-versions`): they survive
 * a restart, and the CLI publishes into the folder a running bot reads. A number is claimed
 * with a hard link, which fails when the name exists, so a half-written file is never seen.
 */
export class FolderVersionStore implements VersionStore {
  constructor(
    readonly dir: string,
    private readonly kept = DEFAULT_VERSIONS_KEPT,
    private readonly checkMs = 1000,
  ) {}

  private numbers(): number[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .map((name) => FILE.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
  }

  async latest(): Promise<number> {
    return this.numbers()[0] ?? 0;
  }

  async get(number: number): Promise<KbVersion | undefined> {
    const file = path.join(this.dir, fileName(number));
    if (!fs.existsSync(file)) return undefined;
    return kbVersionSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  }

  async list(): Promise<VersionSummary[]> {
    const versions = await Promise.all(this.numbers().map((n) => this.get(n)));
    return versions.filter((v): v is KbVersion => v !== undefined).map(summaryOf);
  }

  async put(version: KbVersion): Promise<boolean> {
    fs.mkdirSync(this.dir, { recursive: true });
    const temp = path.join(this.dir, `.${fileName(version.number)}.${process.pid}.${Date.now()}`);
    fs.writeFileSync(temp, serializeVersion(version));
    try {
      fs.linkSync(temp, path.join(this.dir, fileName(version.number)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
    for (const old of this.numbers().slice(this.kept)) fs.rmSync(path.join(this.dir, fileName(old)), { force: true });
    return true;
  }

  /** Another process (the CLI) may publish: the folder's newest number is checked every `checkMs`. */
  onPublished(listener: () => void): () => void {
    let seen = this.numbers()[0] ?? 0;
    const timer = setInterval(() => {
      const now = this.numbers()[0] ?? 0;
      if (now !== seen) listener();
      seen = now;
    }, this.checkMs);
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {}
}
