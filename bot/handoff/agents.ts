import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT } from '../projectRoot';

/**
 * The agents an operator lets into the console, with scrypt password hashes
 * ("scrypt$N$r$p$salt$hash", base64url) — the file never holds a password.
 */

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/;
const KEY_LENGTH = 32;
const COST = { N: 16384, r: 8, p: 1 };

/**
 * What a person in the agents file may do beyond handling chats: a lead also chooses the
 * agents' Teams channel and reads the supervisor's figures. Without `role`, an agent (the
 * least), so files written before roles existed keep working and grant nothing new.
 */
export const agentRoleSchema = z.enum(['agent', 'lead']);
export type AgentRole = z.infer<typeof agentRoleSchema>;

/**
 * An agent as a session or a Teams activity knows them: who (what the handoff service needs)
 * and their role. Sessions stored before roles existed read as an agent.
 */
export const signedInAgentSchema = z.object({ id: z.string().min(1), name: z.string(), role: agentRoleSchema.default('agent') });
export type SignedInAgent = z.infer<typeof signedInAgentSchema>;

/** May this person choose the Teams channel and read the supervisor's figures? */
export const isLead = (agent: Pick<SignedInAgent, 'role'>): boolean => agent.role === 'lead';

export const agentRecordSchema = z.object({
  id: z.string().regex(/^[a-z0-9._-]{2,32}$/, 'expected 2–32 lower-case letters, digits, dot, dash or underscore'),
  name: z.string().min(1).max(40),
  passwordHash: z.string().regex(HASH, 'expected a scrypt hash made by `npm run agent:hash`'),
  /** The agent's Microsoft Entra object id (Teams' from.aadObjectId): lets them act from the Teams agents' channel. */
  teamsAadObjectId: z.string().uuid('expected the Microsoft Entra object id (a GUID) Teams sends as from.aadObjectId').optional(),
  role: agentRoleSchema.default('agent'),
});
export const agentsFileSchema = z.object({
  agents: z.array(agentRecordSchema).superRefine((agents, context) => {
    // One person per Teams account: a shared id would let one act as the other.
    const seen = new Set<string>();
    for (const [index, agent] of agents.entries()) {
      const teams = agent.teamsAadObjectId?.toLowerCase();
      if (!teams) continue;
      if (seen.has(teams)) context.addIssue({ code: z.ZodIssueCode.custom, path: [index, 'teamsAadObjectId'], message: 'the same Teams account is given to two agents' });
      seen.add(teams);
    }
  }),
});
type AgentRecord = z.infer<typeof agentRecordSchema>;

/** What a session keeps of a record: never the hash or the Teams id. */
const signedIn = ({ id, name, role }: AgentRecord): SignedInAgent => ({ id, name, role });

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LENGTH, { ...COST, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH.exec(stored);
  if (!match) return false;
  const [, n, r, p, salt, expected] = match;
  const want = Buffer.from(expected ?? '', 'base64url');
  const got = await scrypt(password, Buffer.from(salt ?? '', 'base64url'), want.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/** The demo agents of README (passwords there), used outside production when no file is set. */
export const DEMO_AGENTS_FILE = 'bot/handoff/demoAgents.yaml';

export class AgentDirectory {
  private readonly byId: Map<string, AgentRecord>;
  private readonly byTeamsId: Map<string, AgentRecord>;
  /** Checked against when the id is unknown, so a wrong id takes as long as a wrong password. */
  private readonly decoy: Promise<string>;

  constructor(agents: readonly AgentRecord[]) {
    this.byId = new Map(agents.map((a) => [a.id, a]));
    this.byTeamsId = new Map(agents.flatMap((a) => (a.teamsAadObjectId ? [[a.teamsAadObjectId.toLowerCase(), a] as const] : [])));
    this.decoy = hashPassword(crypto.randomBytes(16).toString('hex'));
  }

  /** Reads and validates an agents file (YAML or JSON); throws one line naming the problem. */
  static fromFile(file: string): AgentDirectory {
    const absolute = path.resolve(PROJECT_ROOT, file);
    const parsed = agentsFileSchema.safeParse(YAML.parse(fs.readFileSync(absolute, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join('.') ?? ''} — ${issue?.message ?? 'invalid agents file'}`);
    }
    return new AgentDirectory(parsed.data.agents);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The name people know an agent by, for an id from presence (which keeps ids only). */
  nameOf(id: string): string | undefined {
    return this.byId.get(id)?.name;
  }

  /** The agent Teams vouches for (an authenticated activity's from.aadObjectId), if the file maps one. */
  byTeamsUser(aadObjectId: string | undefined): SignedInAgent | undefined {
    const record = aadObjectId ? this.byTeamsId.get(aadObjectId.toLowerCase()) : undefined;
    return record ? signedIn(record) : undefined;
  }

  async authenticate(id: string, password: string): Promise<SignedInAgent | undefined> {
    const record = this.byId.get(id.trim().toLowerCase());
    const valid = await verifyPassword(password, record?.passwordHash ?? (await this.decoy));
    return record && valid ? signedIn(record) : undefined;
  }
}
