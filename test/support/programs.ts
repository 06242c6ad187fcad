import fs from 'node:fs';
import path from 'node:path';

/**
 * The system programs some tests need beyond Node.js, found the way test/fresh.sh finds them
 * (the override variable, else the first executable on PATH, else the program's own
 * folders), so that the script installs exactly what the tests would miss.
 */
export interface Program {
  readonly name: string;
  readonly debianPackage: string;
  readonly envVar: string;
  /** The override names the folder holding the program rather than the program itself. */
  readonly envVarIsFolder?: boolean;
  /** Where the Debian package puts it when that is off PATH, in the order to try, with the glob for messages. */
  readonly packageFolders?: { readonly glob: string; readonly list: () => string[] };
}

export const REDIS_SERVER: Program = { name: 'redis-server', debianPackage: 'redis-server', envVar: 'REDIS_SERVER_PATH' };
export const REDIS_CLI: Program = { name: 'redis-cli', debianPackage: 'redis-tools', envVar: 'REDIS_CLI_PATH' };
export const CHROMIUM: Program = { name: 'chromium', debianPackage: 'chromium', envVar: 'CHROMIUM_PATH' };

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** Debian keeps each major version apart (/usr/lib/postgresql/<major>/bin, off PATH): the newest first. */
export function postgresFolders(root = POSTGRES_ROOT): string[] {
  let majors: string[];
  try {
    majors = fs.readdirSync(root);
  } catch {
    return [];
  }
  return majors
    .filter((major) => /^\d+(\.\d+)?$/.test(major))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => path.join(root, major, 'bin'));
}

const POSTGRES_PACKAGE = { debianPackage: 'postgresql', envVar: 'POSTGRES_BIN_DIR', envVarIsFolder: true, packageFolders: { glob: `${POSTGRES_ROOT}/*/bin`, list: () => postgresFolders() } };
export const POSTGRES: Program = { name: 'postgres', ...POSTGRES_PACKAGE };
export const INITDB: Program = { name: 'initdb', ...POSTGRES_PACKAGE };

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where the program is, or undefined; an override that points nowhere is not replaced by PATH. */
export function findProgram(program: Program, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[program.envVar];
  if (override) {
    const file = program.envVarIsFolder ? path.join(override, program.name) : override;
    return isExecutable(file) ? file : undefined;
  }
  const onPath = (env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  return [...onPath, ...(program.packageFolders?.list() ?? [])].map((dir) => path.join(dir, program.name)).find(isExecutable);
}

/** The one line a test fails with when the program is missing. */
export function missingProgramMessage(program: Program, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[program.envVar];
  const install = `install the Debian package ${program.debianPackage} (npm run test:fresh does it)`;
  if (override) return `${program.name} not found ${program.envVarIsFolder ? 'in' : 'at'} ${override} (${program.envVar}): ${install}, or correct ${program.envVar}`;
  const folders = program.packageFolders ? ` or in ${program.packageFolders.glob}` : '';
  return `${program.name} not found on PATH${folders}: ${install}`;
}

/** The program's path; throws the one-line message when it is missing. */
export function requireProgram(program: Program, env: NodeJS.ProcessEnv = process.env): string {
  const found = findProgram(program, env);
  if (!found) throw new Error(missingProgramMessage(program, env));
  return found;
}
