import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_THRESHOLDS, type DecisionThresholds } from '../knowledge/decide';
import { parseSchedule } from './handoff/schedule';
import { integer } from './configInteger';
import { recordsConfigFields } from './configRecords';
import { PROJECT_ROOT } from './projectRoot';

/**
 * Every environment variable Kefu reads, defined once. `.env.example` is generated from
 * this schema (`npm run config:example`) and a test keeps the two in step, so a variable
 * cannot be added here without being documented.
 */

const ratio = z.coerce
  .number({ invalid_type_error: 'expected a number from 0 to 1' })
  .min(0, 'expected a number from 0 to 1')
  .max(1, 'expected a number from 0 to 1');

/** A path through the app's menus as users see it: "我 > 账户安全". */
const menuPath = z
  .string()
  .max(100, 'expected at most 100 characters')
  .regex(/^[^>{}]+(>[^>{}]+)*$/, 'expected menu labels separated by ">", e.g. "我 > 账户安全", without braces')
  .refine((text) => text.split('>').every((step) => step.trim() !== ''), 'expected no empty step between ">"');

/** "count/window" with the window in seconds, minutes or hours: "600/1m", "20/1h". */
const RATE_FORMAT = /^(\d{1,9})\/(\d{1,6})([smh])$/;
const rate = z.string().regex(RATE_FORMAT, 'expected a count per window such as 600/1m (window in s, m or h)');

/** A limit's count and window, from its "count/window" setting. */
export function parseRate(text: string): { max: number; windowMs: number } {
  const match = RATE_FORMAT.exec(text);
  if (!match) throw new ConfigError(`Invalid rate "${text}": expected a count per window such as 600/1m`);
  const unitMs = { s: 1000, m: 60_000, h: 3_600_000 }[match[3] as 's' | 'm' | 'h'];
  return { max: Number(match[1]), windowMs: Math.max(1, Number(match[2])) * unitMs };
}

export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], {
      errorMap: () => ({ message: 'expected one of development, test, production' }),
    })
    .default('development')
    .describe('Runtime mode. Development-only routes are never served in production.'),
  PORT: integer(0, 65535)
    .default(3978)
    .describe('TCP port of the HTTP server (Bot Framework endpoint, health checks). 0 picks a free port.'),
  HOST: z
    .string()
    .min(1, 'expected a host name or IP address')
    .default('0.0.0.0')
    .describe('Address the HTTP server listens on.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      errorMap: () => ({ message: 'expected one of fatal, error, warn, info, debug, trace, silent' }),
    })
    .default('info')
    .describe('Minimum level of the JSON log lines written to stdout.'),
  MicrosoftAppId: z
    .string()
    .uuid('expected the Azure Bot app id, a GUID')
    .optional()
    .describe('Azure Bot app id. Empty: no authentication (Bot Framework Emulator on localhost). Set: every request to /api/messages must carry a valid Bot Framework token.'),
  MicrosoftAppPassword: z
    .string()
    .optional()
    .describe('Client secret of the Azure Bot app registration (MultiTenant or SingleTenant).'),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      errorMap: () => ({ message: 'expected one of MultiTenant, SingleTenant, UserAssignedMSI' }),
    })
    .default('MultiTenant')
    .describe('Kind of Azure Bot app registration.'),
  MicrosoftAppTenantId: z
    .string()
    .optional()
    .describe('Tenant id, required for SingleTenant and UserAssignedMSI app types.'),
  KB_DIR: z
    .string()
    .min(1, 'expected a directory path')
    .default('knowledge/data')
    .describe('Directory of the knowledge-base YAML files, relative to the project root or absolute.'),
  KB_LINK_HOSTS: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+(,[a-z0-9-]+(\.[a-z0-9-]+)+)*$/i, 'expected host names separated by commas, e.g. help.example.com,www.example.com')
    .optional()
    .describe('Hosts an answer may link to, comma-separated (e.g. help.example.com); links must be https://. `kb check` refuses a link to any other host, and the chat shows such a link as plain text. Empty: answers hold no links.'),
  KB_ANSWER_THRESHOLD: ratio
    .default(0.5)
    .describe('Score from which the best FAQ match is answered directly (0..1).'),
  KB_CLARIFY_THRESHOLD: ratio
    .default(0.3)
    .describe('Score from which a match is offered in a "您是想问…" clarification; below it the bot says it does not know (0..1).'),
  KB_CLARIFY_MARGIN: ratio
    .default(0.1)
    .describe('If the runner-up is within this distance of the best match, the bot asks which one was meant instead of answering (0..1).'),
  KB_OUT_OF_SCOPE_MARGIN: ratio
    .default(0.15)
    .describe('If an out-of-scope example scores within this distance of the best FAQ match, the bot does not answer (0..1).'),
  DEFAULT_LOCALE: z
    .enum(['zh-CN', 'en-US'], { errorMap: () => ({ message: 'expected zh-CN or en-US' }) })
    .default('zh-CN')
    .describe('Reply language when neither the channel nor the text tells.'),
  KB_RELOAD: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'expected true or false' }) })
    .default('true')
    .describe('Reload the knowledge files when they change (validated first; a broken file keeps the previous knowledge base).'),
  KB_VERSIONS_DIR: z
    .string()
    .min(1, 'expected a directory path')
    .default('var/kb-versions')
    .describe('Folder of the published knowledge-base versions without Redis or a database (with REDIS_URL they live in Redis, with DATABASE_URL in PostgreSQL); relative to the project root. The YAML files under KB_DIR are the seed until the first `kb publish`.'),
  KB_VERSIONS_KEPT: integer(2, 1000)
    .default(50)
    .describe('Published knowledge-base versions kept for `kb rollback`; older ones are deleted (each version is at most 5 MB).'),
  KB_VERSION_CHECK_S: integer(1, 3600)
    .default(10)
    .describe('Every instance also checks for a newer knowledge-base version this often (seconds), in case a publication notice was lost.'),
  KB_SIGNALS_FILE: z
    .string()
    .default('var/kb-signals.jsonl')
    .describe('JSON-lines file where unanswered questions and 👍/👎 feedback are appended for the knowledge-base authors; relative to the project root. Empty: keep them in memory only.'),
  DIRECTLINE_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters')
    .optional()
    .describe('Secret of the embedded Direct Line (signs its tokens; send it as the Bearer of tokens/generate). Empty: a random one per start, so tokens do not survive a restart. Several instances need the same value.'),
  DIRECTLINE_TOKEN_TTL_S: integer(60, 86400)
    .default(3600)
    .describe('Lifetime of a Direct Line token in seconds; clients refresh before it ends.'),
  DIRECTLINE_MAX_UPLOAD_BYTES: integer(1024, 50 * 1024 * 1024)
    .default(4 * 1024 * 1024)
    .describe('Largest upload the embedded Direct Line accepts, all files of one message together (bytes). The bot states this limit when it asks for files; a larger upload reaches the bot without its files (none of it kept) and the bot answers with the limit (413 only when the message part does not come first).'),
  DIRECTLINE_UPLOAD_CONVERSATION_BYTES: integer(1024, 1024 * 1024 * 1024)
    .default(16 * 1024 * 1024)
    .describe('Upload quota of one Direct Line conversation (bytes, all its uploads together); beyond it uploads get 413.'),
  DIRECTLINE_UPLOAD_TOTAL_BYTES: integer(1024 * 1024, 64 * 1024 * 1024 * 1024)
    .default(256 * 1024 * 1024)
    .describe('Uploaded files kept at most, all conversations together (bytes, in memory or in Redis); beyond it the oldest files are dropped. Files expire with their conversation.'),
  PUBLIC_URL: z
    .string()
    .url('expected the origin users reach Kefu at, e.g. https://kefu.example.com')
    .regex(/^https?:\/\/[^/?#]+(\/[^?#]*)?$/, 'expected an http(s) URL without query or fragment, e.g. https://kefu.example.com')
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .describe("Address users and agents reach this server at, e.g. https://kefu.example.com (set it behind a reverse proxy or load balancer). Attachment links and the Direct Line streamUrl are built from it, never from the request's Host header. Empty: attachment links use http://127.0.0.1:<port>, streamUrl the address the connection arrived on."),
  WEBCHAT_DIRECTLINE_URL: z
    .string()
    .url('expected a URL such as https://directline.botframework.com/v3/directline')
    .optional()
    .describe("Direct Line the web chat page talks to. Empty: the embedded one on this server. Set to Azure's (https://directline.botframework.com/v3/directline) with DIRECTLINE_SECRET = the Azure channel's secret to use Azure Bot Service."),
  ACCOUNT_BACKEND: z
    .enum(['demo', 'http'], { errorMap: () => ({ message: 'expected demo or http' }) })
    .default('demo')
    .describe('Account system the flows use: demo (the seeded demo directory, in memory) or http (the platform API below).'),
  ACCOUNT_API_URL: z
    .string()
    .url('expected the base URL of the account API, e.g. https://accounts.internal/v1/')
    .optional()
    .describe('Base URL of the platform account API (ACCOUNT_BACKEND=http).'),
  ACCOUNT_API_KEY: z.string().min(1).optional().describe('API key sent as Bearer to the account API (ACCOUNT_BACKEND=http).'),
  ACCOUNT_API_TIMEOUT_MS: integer(100, 60000).default(5000).describe('Timeout of one account API call in milliseconds.'),
  SMS_PROVIDER: z
    .enum(['console', 'webhook'], { errorMap: () => ({ message: 'expected console or webhook' }) })
    .default('console')
    .describe('console: messages are kept in a development outbox (GET /api/dev/sms), nothing is sent; webhook: POST to SMS_WEBHOOK_URL.'),
  SMS_WEBHOOK_URL: z.string().url('expected the URL of the SMS gateway').optional().describe('SMS gateway endpoint (SMS_PROVIDER=webhook); receives {to, text, kind}.'),
  SMS_WEBHOOK_TOKEN: z.string().min(1).optional().describe('Bearer token for the SMS gateway.'),
  OTP_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters')
    .optional()
    .describe('Server secret one-time codes are HMAC-ed with. Empty: a random one per start (outside production). Several instances need the same value.'),
  TEAMS_DEVELOPER_NAME: z
    .string()
    .min(1)
    .max(32, 'expected at most 32 characters')
    .default('Kefu')
    .describe('Publisher name shown in the Teams app package (npm run teams:package).'),
  TEAMS_WEBSITE_URL: z
    .string()
    .url('expected an https URL')
    .startsWith('https://', 'expected an https URL')
    .optional()
    .describe('Website of the publisher, for the Teams app package (https). Required by teams:package.'),
  TEAMS_PRIVACY_URL: z
    .string()
    .url('expected an https URL')
    .startsWith('https://', 'expected an https URL')
    .optional()
    .describe('Privacy statement URL for the Teams app package (https). Required by teams:package.'),
  TEAMS_TERMS_URL: z
    .string()
    .url('expected an https URL')
    .startsWith('https://', 'expected an https URL')
    .optional()
    .describe('Terms of use URL for the Teams app package (https). Required by teams:package.'),
  APP_MENU_ACCOUNT_SECURITY_ZH: menuPath
    .default('我 > 账户安全')
    .describe('Where the account-security page is in your app, in Chinese, steps separated by ">". Answers about binding or changing the phone number ({menuAccountSecurity}) show it.'),
  APP_MENU_ACCOUNT_SECURITY_EN: menuPath
    .default('Me > Account security')
    .describe('The same path as the English app names it.'),
  APP_MENU_BIND_PHONE_ZH: menuPath
    .default('绑定手机号')
    .describe('Label of the item on the account-security page that links a phone number, in Chinese ({menuBindPhone}).'),
  APP_MENU_BIND_PHONE_EN: menuPath.default('Link phone number').describe('The same label in English.'),
  APP_MENU_CHANGE_PHONE_ZH: menuPath
    .default('更换手机号')
    .describe('Label of the item on the account-security page that changes the phone number, in Chinese ({menuChangePhone}).'),
  APP_MENU_CHANGE_PHONE_EN: menuPath.default('Change phone number').describe('The same label in English.'),
  HANDOFF_MODE: z
    .enum(['console', 'external'], { errorMap: () => ({ message: 'expected console or external' }) })
    .default('console')
    .describe('Who takes handed-off chats: the agents of the built-in console, or an external contact-centre hub through the Bot Framework handoff protocol (a handoff.initiate event with transcript and context; handoff.status events back).'),
  HANDOFF_HOURS: z
    .string()
    .default('24/7')
    .describe('When human agents work, e.g. "mon-fri 09:00-21:00; sat,sun 10:00-18:00" in HANDOFF_TIMEZONE, or 24/7. Outside them the bot offers to take a message.'),
  HANDOFF_TIMEZONE: z.string().default('Asia/Shanghai').describe('IANA time zone of HANDOFF_HOURS.'),
  HANDOFF_QUEUE_TIMEOUT_S: integer(1, 86400)
    .default(600)
    .describe('A chat nobody claims within this many seconds leaves the queue, and the user is offered to leave a message.'),
  HANDOFF_AVG_HANDLE_S: integer(10, 86400)
    .default(300)
    .describe('Handle time per chat assumed for the estimated wait until resolved chats give a measured average (seconds).'),
  AGENT_MAX_CHATS: integer(1, 50)
    .default(5)
    .describe('Most chats one agent may have claimed at once; a claim beyond it is refused until the agent resolves one.'),
  AGENTS_FILE: z
    .string()
    .optional()
    .describe('YAML or JSON list of agents who may sign in to /agent: id, name, passwordHash (scrypt; npm run agent:hash), role (agent or lead; default agent). Empty: the demo staff of README outside production, nobody in production.'),
  CANNED_REPLIES_FILE: z
    .string()
    .default('bot/handoff/cannedReplies.yaml')
    .describe('YAML of the canned replies agents pick with "/" in the console, relative to the project root or absolute.'),
  AGENT_TEAMS_CONVERSATION: z
    .string()
    .regex(/^19:[^;\s]+$/, 'expected the conversation id of a Teams channel, e.g. 19:abc…@thread.tacv2 (without ;messageid=)')
    .optional()
    .describe('Teams channel where agents take handed-off chats besides the console: each handoff is a card and a thread there. Empty: none, unless an agent says "kefu agents here" (设为客服频道) in a channel, which the bot then remembers (in Redis, for every instance).'),
  AGENT_TEAMS_SERVICE_URL: z
    .string()
    .url('expected the serviceUrl Teams sends with its activities, e.g. https://smba.trafficmanager.net/emea/')
    .optional()
    .describe('Bot Framework service URL of the Teams tenant of AGENT_TEAMS_CONVERSATION (the serviceUrl of its activities).'),
  AGENT_TEAMS_TENANT_ID: z
    .string()
    .optional()
    .describe('Microsoft Entra tenant id of the agents\' Teams. Set: agent activities from Teams are accepted only from this tenant.'),
  HANDOFF_PRESENCE_S: integer(30, 86400)
    .default(900)
    .describe('An agent who clicked or wrote in the Teams agents\' channel counts as online this long (for the wait estimate and "nobody available"); the console keeps its agents online while it is open.'),
  AGENT_SESSION_TTL_S: integer(60, 604800)
    .default(28800)
    .describe('How long an agent stays signed in to the console (seconds).'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
    .optional()
    .describe('Redis for all shared state (conversations, handoff, codes, sessions …), so several instances can run behind a load balancer. Empty: everything in this process\'s memory.'),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, 'expected host:port[,host:port…]')
    .optional()
    .describe('Redis Cluster seed nodes, "host:port,host:port"; selects cluster mode instead of REDIS_URL.'),
  REDIS_COMMAND_TIMEOUT_MS: integer(100, 60000)
    .default(2000)
    .describe('A Redis command that has no answer after this long fails, so a paused or overloaded Redis makes turns fail fast with "系统暂时无法服务" instead of hanging (milliseconds).'),
  STATE_TTL_S: integer(1, 31536000)
    .default(2592000)
    .describe('Conversation state (the chat, its Direct Line log, transcript and handoff reference) is dropped this many seconds after its last change, in memory and in Redis.'),
  STATE_TTL_ANONYMOUS_S: integer(1, 31536000)
    .default(7200)
    .describe('The same for a conversation in which the user has not written anything yet (a page load, a token flood): dropped this many seconds after its last change, until the first message gives it STATE_TTL_S.'),
  FLOW_IDLE_TIMEOUT_S: integer(10, 86400)
    .default(1800)
    .describe('A guided flow left untouched this long is over: the returning user is told it timed out and can start again.'),
  MAX_MESSAGE_CHARS: integer(10, 100000)
    .default(2000)
    .describe('Longest message handled; a longer one gets one polite sentence and changes nothing.'),
  RATE_LIMIT_MESSAGES: integer(1, 10000)
    .default(20)
    .describe('Messages one user may send per RATE_LIMIT_WINDOW_S; beyond that they are told to slow down and the messages are not handled.'),
  RATE_LIMIT_WINDOW_S: integer(1, 3600)
    .default(10)
    .describe('Window of the per-user message rate limit (seconds).'),
  TRUSTED_PROXY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'expected a header name such as x-forwarded-for')
    .optional()
    .describe('Header your reverse proxy writes the client address into (e.g. x-forwarded-for). Its right-most entry, the one your proxy appended, is the client address the per-address limits count; clients cannot forge it. Empty: the socket address (no proxy in front). Set it only when every request comes through that proxy.'),
  LIMIT_MESSAGES_PER_ADDRESS: rate
    .default('1200/1m')
    .describe('Activities (messages, events) accepted from one client address per window ("count/window", window in s, m or h), over all its conversations, on the Direct Line and on an unauthenticated /api/messages; beyond, 429. Generous, so that many users behind one NAT are never slowed down.'),
  LIMIT_CONVERSATIONS_PER_ADDRESS: rate
    .default('600/1h')
    .describe('New conversations (web chat tokens, Direct Line conversations and tokens/generate) one client address may start per window; beyond, 429.'),
  LIMIT_HANDOFFS_PER_ADDRESS: rate
    .default('30/1h')
    .describe('Chats one client address may put in the queue for a person per window; beyond, the user is told to try again later. For authenticated Bot Framework channels the client is the user the channel vouches for.'),
  LIMIT_SMS_PER_ADDRESS: rate
    .default('30/1h')
    .describe('SMS codes one client address may have sent per window, to any numbers (against SMS pumping; each number also has its own limits).'),
  LIMIT_SMS_TOTAL: rate
    .default('1000/1h')
    .describe('SMS codes sent per window by the whole deployment (every instance): a cost ceiling against SMS pumping from many addresses.'),
  LIMIT_STREAMS_PER_CONVERSATION: integer(1, 100)
    .default(5)
    .describe('Direct Line WebSocket streams open at once on one conversation (per instance); one more gets 429.'),
  KB_SIGNALS_MAX_BYTES: integer(4096, 1024 * 1024 * 1024)
    .default(10 * 1024 * 1024)
    .describe('The KB signals file is rotated (kb-signals.jsonl.1, .2 …) when it would grow beyond this many bytes.'),
  KB_SIGNALS_FILES: integer(1, 100)
    .default(5)
    .describe('Rotated KB signals files kept besides the current one; older ones are deleted.'),
  KB_SIGNALS_KEEP: integer(100, 10_000_000)
    .default(10000)
    .describe('Signals kept in Redis (shared by the instances) or in memory (no file); the oldest go first. With DATABASE_URL the newest this many are read from PostgreSQL (kept there as RETENTION_DAYS_BY_KIND says).'),
  INSIGHTS_DAYS_KEPT: integer(30, 400)
    .default(40)
    .describe('Days of the knowledge desk\'s daily counters (conversations, fallbacks, votes, handoffs, ratings) kept in Redis, memory or PostgreSQL (DATABASE_URL); older days expire (in PostgreSQL they are deleted when Insights is read).'),
  TURN_LOCK_WAIT_MS: integer(100, 60000)
    .default(8000)
    .describe('How long a message waits for the previous turn of its conversation (on any instance) before the user is asked to send it again.'),
  SHUTDOWN_GRACE_MS: integer(0, 600000)
    .default(10000)
    .describe('On SIGTERM, how long in-flight turns may take before the process exits anyway (milliseconds).'),
  ...recordsConfigFields,
});

const EMPTY_IS_MEANINGFUL = new Set(['KB_SIGNALS_FILE']);

/** The FAQ decision thresholds named by the config. */
export function thresholdsOf(config: Config): DecisionThresholds {
  return {
    ...DEFAULT_THRESHOLDS,
    answer: config.KB_ANSWER_THRESHOLD,
    clarify: config.KB_CLARIFY_THRESHOLD,
    margin: config.KB_CLARIFY_MARGIN,
    outOfScopeMargin: config.KB_OUT_OF_SCOPE_MARGIN,
  };
}

export type Config = z.infer<typeof configSchema> & { kbDir: string };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  return JSON.stringify(value);
}

/**
 * Parses the environment into a typed config. The first problem becomes one line that
 * names the variable, what is wrong with its value and the expected form.
 */
/**
 * `server`: everything the bot needs to serve. `tool`: a command-line tool (`kb …`) that reads the
 * knowledge base, the signals or Redis, and serves no one: the secrets and back ends only a
 * server uses are not asked for.
 */
export type ConfigPurpose = 'server' | 'tool';

export function loadConfig(env: Record<string, string | undefined>, purpose: ConfigPurpose = 'server'): Config {
  // An empty assignment (`PORT=` copied from .env.example) means "use the default",
  // except where empty has a meaning of its own.
  const given = Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== '' || EMPTY_IS_MEANINGFUL.has(name)));
  const result = configSchema.safeParse(given);
  if (result.success) {
    if (result.data.MicrosoftAppId && result.data.MicrosoftAppType !== 'UserAssignedMSI' && !result.data.MicrosoftAppPassword) {
      throw new ConfigError(
        'Invalid configuration: MicrosoftAppPassword is missing — expected the app secret when MicrosoftAppId is set',
      );
    }
    if (result.data.MicrosoftAppType !== 'MultiTenant' && result.data.MicrosoftAppId && !result.data.MicrosoftAppTenantId) {
      throw new ConfigError(
        `Invalid configuration: MicrosoftAppTenantId is missing — expected the tenant id for MicrosoftAppType=${result.data.MicrosoftAppType}`,
      );
    }
    const needs = (when: boolean, names: (keyof typeof result.data)[], why: string) => {
      const missing = names.filter((name) => !result.data[name]);
      if (when && purpose === 'server' && missing.length > 0) throw new ConfigError(`Invalid configuration: ${missing.join(', ')} missing — ${why}`);
    };
    needs(result.data.ACCOUNT_BACKEND === 'http', ['ACCOUNT_API_URL', 'ACCOUNT_API_KEY'], 'expected the account API URL and key for ACCOUNT_BACKEND=http');
    needs(Boolean(result.data.AGENT_TEAMS_CONVERSATION), ['AGENT_TEAMS_SERVICE_URL'], 'expected the Teams service URL of the agents\' channel for AGENT_TEAMS_CONVERSATION');
    needs(result.data.SMS_PROVIDER === 'webhook', ['SMS_WEBHOOK_URL', 'SMS_WEBHOOK_TOKEN'], 'expected the gateway URL and token for SMS_PROVIDER=webhook');
    needs(result.data.NODE_ENV === 'production', ['OTP_SECRET'], 'expected a fixed OTP secret in production');
    needs(result.data.NODE_ENV === 'production' && Boolean(result.data.DATABASE_URL), ['RECORDS_SECRET'], 'expected a fixed records secret with DATABASE_URL in production');
    needs(
      Boolean(result.data.REDIS_URL || result.data.REDIS_CLUSTER_NODES),
      ['OTP_SECRET', 'DIRECTLINE_SECRET'],
      'instances sharing Redis must share these secrets (codes and Direct Line tokens made on one are checked on another)',
    );
    try {
      parseSchedule(result.data.HANDOFF_HOURS, result.data.HANDOFF_TIMEZONE);
    } catch (error) {
      throw new ConfigError(`Invalid configuration: HANDOFF_HOURS=${JSON.stringify(result.data.HANDOFF_HOURS)} — ${(error as Error).message}`);
    }
    if (result.data.KB_CLARIFY_THRESHOLD > result.data.KB_ANSWER_THRESHOLD) {
      throw new ConfigError(
        `Invalid configuration: KB_CLARIFY_THRESHOLD=${result.data.KB_CLARIFY_THRESHOLD} is above KB_ANSWER_THRESHOLD=${result.data.KB_ANSWER_THRESHOLD} — expected a value no greater than it`,
      );
    }
    return { ...result.data, kbDir: path.resolve(PROJECT_ROOT, result.data.KB_DIR) };
  }
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  throw new ConfigError(
    `Invalid configuration: ${name}=${describeValue(env[name])} — ${issue?.message ?? 'invalid value'}`,
  );
}

/** KB_LINK_HOSTS as a list: the hosts an answer may link to. */
export function linkHostsOf(config: Pick<Config, 'KB_LINK_HOSTS'>): string[] {
  return config.KB_LINK_HOSTS ? config.KB_LINK_HOSTS.split(',').map((host) => host.toLowerCase()) : [];
}
