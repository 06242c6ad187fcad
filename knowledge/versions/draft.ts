import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { KnowledgeBaseError, readKnowledgeFiles } from '../loader';
import { versionFileSchema, type KbVersion, type VersionFile } from './schema';

/** A draft directory's YAML files, validated exactly as at start-up; throws KnowledgeBaseError listing every problem. */
export function readDraft(dir: string, linkHosts: readonly string[] = []): VersionFile[] {
  const { files, problems } = readKnowledgeFiles(dir, linkHosts);
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  return files.map((file) => versionFileSchema.parse(file));
}

/** Writes a version as the YAML files it was published from, for teams that keep the KB in git. */
export function writeYaml(dir: string, version: KbVersion): string[] {
  const header = `# Knowledge base version ${version.number}, published by ${version.publishedBy} at ${version.publishedAt}: ${version.message.replace(/\s+/g, ' ')}\n`;
  return version.files.map((file) => {
    const target = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, header + YAML.stringify(file.entries, { lineWidth: 0 }));
    return target;
  });
}
