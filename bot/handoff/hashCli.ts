import { hashPassword } from './agents';

/**
 * `npm run agent:hash` — prints the scrypt hash of a password for AGENTS_FILE. The password
 * is read from stdin (pipe it, or type it and press Enter), never from the command line,
 * where it would stay in the shell history.
 */
async function main(): Promise<void> {
  if (process.stdin.isTTY) process.stderr.write('Password (input is shown; end with Enter): ');
  let input = '';
  for await (const chunk of process.stdin) {
    input += String(chunk);
    if (process.stdin.isTTY && input.includes('\n')) break;
  }
  const password = input.replace(/\r?\n[\s\S]*$/, '');
  if (password.length < 10) {
    console.error('The password must have at least 10 characters.');
    process.exit(1);
  }
  console.log(await hashPassword(password));
  process.exit(0);
}

void main();
