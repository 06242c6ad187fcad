import fs from 'node:fs';
import path from 'node:path';

/**
 * The system programs some tests need beyond Node.js, found the way test/fresh.sh finds them
 * (the override variable, else the first executable on PATH), so that the script installs
 * exactly what the tests would miss.
 */
export interface Program {
  readonly name: string;
  readonly debianPackage: string;
  readonly envVar: string;
}

export const REDIS_SERVER: Program = { name: 'redis-server', debianPackage: 'redis-server', envVar: 'REDIS_SERVER_PATH' };
export const REDIS_CLI: Program = { name: 'redis-cli', debianPackage: 'redis-tools', envVar: 'REDIS_CLI_PATH' };
export const CHROMIUM: Program = { name: 'chromium', debianPackage: 'chromium', envVar: 'CHROMIUM_PATH' };

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
  if (override) return isExecutable(override) ? override : undefined;
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, program.name))
    .find(isExecutable);
}

/** The one line a test fails with when the program is missing. */
export function missingProgramMessage(program: Program, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[program.envVar];
  const install = `install the Debian package ${program.debianPackage} (npm run test:fresh does it)`;
  if (override) return `${program.name} not found at ${override} (${program.envVar}): ${install}, or correct ${program.envVar}`;
  return `${program.name} not found on PATH: ${install}`;
}

/** The program's path; throws the one-line message when it is missing. */
export function requireProgram(program: Program, env: NodeJS.ProcessEnv = process.env): string {
  const found = findProgram(program, env);
  if (!found) throw new Error(missingProgramMessage(program, env));
  return found;
}
