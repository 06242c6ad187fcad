import { phoneDigits } from '../../records/phoneKey';

export type PrivacyCommand = { command: 'export'; phone: string; by: string; out?: string } | { command: 'delete'; phone: string; by: string };

export const PRIVACY_USAGE = 'usage: npm run privacy -- export --phone <number> [--out <file>] [--by <who>] | delete --phone <number> --by <who>';

const MOBILE = /^1[3-9]\d{9}$/;

/** The command line of `npm run privacy`, or what is wrong with it. */
export function parsePrivacyArgs(argv: readonly string[]): PrivacyCommand | { error: string } {
  const [command, ...rest] = argv;
  if (command !== 'export' && command !== 'delete') return { error: command ? `unknown command "${command}": expected export or delete` : 'expected export or delete' };
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const name = rest[i] ?? '';
    const value = rest[i + 1];
    if (!['--phone', '--out', '--by'].includes(name)) return { error: `unknown option "${name}"` };
    if (value === undefined || value.startsWith('--')) return { error: `${name} needs a value` };
    options[name.slice(2)] = value;
  }
  const phone = phoneDigits(options.phone ?? '');
  if (!options.phone) return { error: '--phone is required' };
  if (!MOBILE.test(phone)) return { error: '--phone must be a mainland mobile number (11 digits, e.g. 13800000002)' };
  if (command === 'delete') {
    // An erasure is logged with who asked for it: there is no default.
    if (!options.by?.trim()) return { error: 'delete needs --by <who asked> (it is kept in the audit log)' };
    if (options.out) return { error: '--out is for export only' };
    return { command, phone, by: options.by.trim() };
  }
  return { command, phone, by: options.by?.trim() || 'privacy-cli', ...(options.out ? { out: options.out } : {}) };
}
