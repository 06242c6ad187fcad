import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { understand } from '../../dialogs/commands';
import { helpReply } from '../../dialogs/rootReplies';
import { createLogger } from '../logger';
import { connectRedis, untilReady } from '../storage/redis/connection';
import { configuredSignalsFile, kbSignalLogFor, signalsFileLog } from '../storage/signalLogs';
import { exportQnaTsv, importQnaTsv } from '../../knowledge/qnaMaker';
import { groupUnanswered, type AuthorSignal } from '../../knowledge/unanswered';
import { answerValuesOf } from '../answerValues';
import { ConfigError, linkHostsOf, loadConfig, thresholdsOf, type Config } from '../config';
import { parseLabelledSet, evaluate, routeLabel, type EvalFigures, type EvalReport } from '../../knowledge/eval';
import { explainRoute } from './explainRoute';
import { judgeAsBot } from './judgeAsBot';
import { figuresOf, parseConversationSet, type ConversationFigures } from '../../knowledge/conversationEval';
import { runConversations } from './conversationEval';
import { openKnowledge, type Knowledge } from '../../knowledge/index';
import { countEntries } from '../../knowledge/counts';
import { checkKnowledgeBase, formatProblem, KnowledgeBaseError } from '../../knowledge/loader';
import { renderAnswer } from '../../knowledge/placeholders';
import { localeSchema } from '../../knowledge/schema';
import { exportYaml, listVersions, publishDraft, rollback } from './versionsCli';
import { databaseSignals } from './database';

const USAGE = `Usage: npm run kb -- <command>

  check                              validate every knowledge file; exit 1 on any problem
  ask "<text>" [--locale L] [--json] how the bot routes one message (commands such as "帮助" included)
  eval <file.tsv> [--json]           accuracy on a labelled set (question<TAB>expected[<TAB>kind]):
                                     top-1, direct-correct, wrong actions, clarify rate, fallback
                                     precision / recall, and the same per kind of message
  eval <file.yaml> [--locale L] [--json]
                                     a conversation set played turn by turn through the bot:
                                     conversations passed, turns right, wrong actions, clarify +
                                     confirm, fallback precision / recall, every failed turn
  import <qna.tsv> [--locale L] [--out F]
                                     a QnA Maker export (Question, Answer, Source, Metadata) into
                                     YAML entries (default out: <KB_DIR>/<locale>/imported.yaml)
  export [--locale L] [--out F]      the FAQ entries as a QnA Maker TSV (stdout by default)
  export --yaml DIR [--version N]    the published version (or kept version N) as YAML files
  publish DIR --by NAME --message M  validate a draft directory of YAML files and publish it as the
                                     next version; every running instance serves it within 2 s
  rollback N --by NAME --message M   publish a new version equal to version N
  versions [--json]                  the kept versions: number, when, who, +added -removed ~changed, message
  unanswered [--file F] [--json]     what fell back or got 👎, grouped by wording, with the
                                     nearest entries (KB_SIGNALS_FILE, Redis with REDIS_URL, or
                                     PostgreSQL with DATABASE_URL)
`;

function knowledgeFrom(config: Config): Knowledge {
  return openKnowledge({
    dir: config.kbDir,
    thresholds: thresholdsOf(config),
    defaultLocale: config.DEFAULT_LOCALE,
    linkHosts: linkHostsOf(config),
  });
}

function check(config: Config): number {
  const { entries, problems } = checkKnowledgeBase(config.kbDir, linkHostsOf(config));
  for (const problem of problems) console.error(formatProblem(problem));
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s) in the knowledge base.`);
    return 1;
  }
  const counts = entries.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.locale]: (acc[e.locale] ?? 0) + 1 }), {});
  const phrasings = entries.reduce((n, e) => n + 1 + e.alternates.length, 0);
  const kinds = countEntries(entries);
  console.log(
    `OK: ${kinds.entries} entries (${Object.entries(counts).map(([l, n]) => `${l} ${n}`).join(', ')}): ${kinds.answers} answers, ${kinds.acts} conversation acts, ${kinds.outOfScope} out-of-scope; ${phrasings} phrasings.`,
  );
  return 0;
}

function ask(config: Config, text: string, localeArg: string | undefined, json: boolean): number {
  const locale = localeArg === undefined ? undefined : localeSchema.parse(localeArg);
  const { router } = knowledgeFrom(config);
  const understood = understand(text, router, locale ?? config.DEFAULT_LOCALE);
  if (understood.kind !== 'message') {
    const what = understood.kind === 'command' ? { command: understood.command } : { vote: understood.vote };
    // What the bot says to the help command, buttons included: the command's whole effect.
    const reply = understood.kind === 'command' && understood.command === 'help' ? helpReply(understood.locale) : undefined;
    if (json) {
      console.log(JSON.stringify({ decision: understood.kind, ...what, locale: understood.locale, ...(reply ? { reply } : {}) }));
      return 0;
    }
    console.log(`${understood.kind}: ${Object.values(what).join('')}  (locale ${understood.locale})`);
    if (reply) console.log(`\n${reply.text}\n\n${(reply.suggestions ?? []).map((s) => `[${s.title}]`).join(' ')}`);
    return 0;
  }
  const { route, acts, corrected } = understood;
  const results = route.results.map((r) => ({ id: r.id, score: Number(r.score.toFixed(4)) }));
  if (json) {
    const out: Record<string, unknown> = { decision: route.decision };
    if (route.decision === 'answer' || route.decision === 'clarify' || route.decision === 'confirm') out.entryId = route.entryId;
    if (route.decision === 'flow') out.flow = route.flow;
    // Why a clear match was asked about or thrown away: an out-of-scope example or class objected.
    if ((route.decision === 'confirm' || route.decision === 'fallback') && route.vetoed) {
      out.vetoed = route.vetoed;
      if (route.vetoedBy) out.vetoedBy = route.vetoedBy;
    }
    const why = explainRoute(route, thresholdsOf(config));
    if (why) out.why = why.replace(/^why: /, '');
    // What the conversation reads before the route: "好的" after an offer takes it, whatever the route says.
    if (acts.length > 0) out.acts = acts;
    if (corrected) out.corrected = true;
    out.results = results;
    console.log(JSON.stringify(out));
    return 0;
  }
  if (acts.length > 0) console.log(`acts: ${acts.join(' + ')}${corrected ? ' (routing what follows the correction)' : ''}`);
  console.log(`${route.decision}: ${routeLabel(route)}  (locale ${route.locale})`);
  if (route.decision === 'clarify' || route.decision === 'confirm') console.log(`candidates: ${route.candidates.join(', ')}`);
  if ((route.decision === 'confirm' || route.decision === 'fallback') && route.vetoed) console.log(`vetoed (${route.vetoed})`);
  const why = explainRoute(route, thresholdsOf(config));
  if (why) console.log(why);
  for (const r of route.results) console.log(`  ${r.score.toFixed(3)}  ${r.id}  ← ${r.matched}`);
  if (route.decision === 'answer') {
    const answer = router.entry(route.entryId, route.locale)?.answer ?? '';
    console.log(`\n${renderAnswer(answer, answerValuesOf(config)[route.locale])}`);
  }
  return 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const strictLine = (f: EvalFigures) =>
  `top-1 ${pct(f.top1)}  direct-correct ${f.answerable > 0 ? pct(f.directCorrect) : '—'}  wrong-action ${pct(f.wrongAction)}  clarify ${pct(f.clarify)}`;

function printReport(report: EvalReport): void {
  console.log(`total ${report.total}  ${strictLine(report)}  in-scope ${pct(report.inScope)}  fallback precision ${pct(report.fallbackPrecision)}  recall ${pct(report.fallbackRecall)}`);
  const kinds = Object.entries(report.byKind);
  if (kinds.length > 0) console.log('\nby kind of message:');
  for (const [kind, f] of kinds) console.log(`  ${kind.padEnd(18)} n=${String(f.total).padEnd(4)} ${strictLine(f)}`);
  if (report.misses.length > 0) console.log(`\n${report.misses.length} miss(es):`);
  for (const miss of report.misses) console.log(`  ${miss.question}\n      expected ${miss.expected}, got ${miss.got} (${miss.decision})${miss.kind ? ` [${miss.kind}]` : ''}`);
}

const conversationLine = (f: ConversationFigures) =>
  `conversations ${f.conversations}: passed ${pct(f.passedStrict)} (lenient ${pct(f.passedLenient)})  turns ${f.turns}: right ${pct(f.turnsStrict)} (lenient ${pct(f.turnsLenient)})  wrong-action ${pct(f.wrongActions)}  clarify+confirm ${pct(f.clarifyOrConfirm)}  fallback precision ${pct(f.fallbackPrecision)} recall ${pct(f.fallbackRecall)}`;

/** A conversation set (.yaml): every conversation played through the conversation core; the locale is the file name's. */
async function evalConversations(config: Config, file: string, localeArg: string | undefined, json: boolean): Promise<number> {
  const locale = localeSchema.parse(localeArg ?? (/en-US/.test(path.basename(file)) ? 'en-US' : 'zh-CN'));
  const scripts = parseConversationSet(fs.readFileSync(file, 'utf8'));
  const { results, figures } = await runConversations(scripts, locale, knowledgeFrom(config).router, config);
  if (json) {
    console.log(JSON.stringify({ figures, results }));
    return 0;
  }
  console.log(conversationLine(figures));
  const kinds = [...new Set(results.map((r) => r.kind))].sort();
  console.log('\nby kind:');
  for (const kind of kinds) console.log(`  ${kind.padEnd(26)} ${conversationLine(figuresOf(results.filter((r) => r.kind === kind)))}`);
  const failed = results.filter((r) => !r.strict);
  if (failed.length > 0) console.log(`\n${failed.length} conversation(s) not passed strictly:`);
  for (const result of failed) {
    console.log(`  ${result.id} [${result.kind}]${result.lenient ? ' (lenient pass)' : ''}`);
    for (const t of result.turns) console.log(`    ${t.verdict.strict ? '  ' : t.verdict.lenient ? '~ ' : '✗ '}${t.user}  → expected ${t.expected}, got ${t.verdict.got}`);
  }
  return 0;
}

function evalFile(config: Config, file: string, json: boolean, localeArg?: string): number | Promise<number> {
  if (/\.ya?ml$/i.test(file)) return evalConversations(config, file, localeArg, json);
  const items = parseLabelledSet(fs.readFileSync(file, 'utf8'));
  const report = evaluate(items, judgeAsBot(knowledgeFrom(config).router, config.DEFAULT_LOCALE));
  if (json) console.log(JSON.stringify(report));
  else printReport(report);
  return 0;
}

function importTsv(config: Config, file: string, localeArg: string | undefined, out: string | undefined): number {
  const locale = localeSchema.parse(localeArg ?? config.DEFAULT_LOCALE);
  const existing = new Set(checkKnowledgeBase(config.kbDir).entries.filter((e) => e.locale === locale).map((e) => e.id));
  const { entries, skipped } = importQnaTsv(fs.readFileSync(file, 'utf8'), locale, existing);
  for (const skip of skipped) console.error(`skipped${skip.row ? ` row ${skip.row}` : ''}: ${skip.reason}`);
  const target = path.resolve(out ?? path.join(config.kbDir, locale, 'imported.yaml'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const header = `# Imported from ${path.basename(file)} by \`kb import\`. Review the wording, then add alternates the way users type.\n`;
  fs.writeFileSync(target, header + YAML.stringify(entries, { lineWidth: 0 }));
  const phrasings = entries.reduce((n, e) => n + 1 + e.alternates.length, 0);
  console.log(`Imported ${entries.length} entries (${phrasings} phrasings) into ${path.relative(process.cwd(), target)}; ${skipped.length} skipped. Run \`kb check\` next.`);
  return 0;
}

function exportTsv(config: Config, localeArg: string | undefined, out: string | undefined): number {
  const locale = localeSchema.parse(localeArg ?? config.DEFAULT_LOCALE);
  const { entries, problems } = checkKnowledgeBase(config.kbDir, linkHostsOf(config));
  if (problems.length > 0) throw new KnowledgeBaseError(problems);
  const tsv = exportQnaTsv(entries.filter((e) => e.locale === locale), `kefu/${locale}`);
  if (out) fs.writeFileSync(out, tsv);
  else process.stdout.write(tsv);
  return 0;
}

async function readSignals(config: Config, file: string | undefined): Promise<AuthorSignal[]> {
  // With a database the bots keep the signals there, whether or not Redis is set.
  if (!file && config.DATABASE_URL) return databaseSignals(config, config.DATABASE_URL);
  if (!file && (config.REDIS_URL || config.REDIS_CLUSTER_NODES)) {
    const redis = connectRedis({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS }, createLogger('silent'));
    try {
      if (!(await untilReady(redis, 5000))) throw new Error('Redis is not reachable');
      return await kbSignalLogFor(config, redis).list();
    } finally {
      redis.disconnect();
    }
  }
  const source = file ?? configuredSignalsFile(config);
  if (!source) throw new UsageError('no signals: set KB_SIGNALS_FILE, REDIS_URL or DATABASE_URL, or pass --file');
  return signalsFileLog(config, source).list();
}

async function unanswered(config: Config, file: string | undefined, json: boolean): Promise<number> {
  const groups = groupUnanswered(await readSignals(config, file), knowledgeFrom(config).router);
  if (json) {
    console.log(JSON.stringify(groups));
    return 0;
  }
  if (groups.length === 0) console.log('Nothing unanswered. 🎉');
  for (const group of groups) {
    console.log(`\n×${group.count}  (${group.locale})  ${group.examples.join(' | ')}`);
    if (group.downvoted.length > 0) console.log(`    👎 on: ${group.downvoted.join(', ')}`);
    for (const near of group.nearest) console.log(`    ${near.score.toFixed(3)}  ${near.id}  ${near.question}`);
  }
  return 0;
}

export function main(argv: string[], env: Record<string, string | undefined>): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      locale: { type: 'string' },
      out: { type: 'string' },
      file: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      yaml: { type: 'string' },
      version: { type: 'string' },
      by: { type: 'string' },
      message: { type: 'string' },
    },
  });
  const [command, argument] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' }, 'tool');
  switch (command) {
    case 'check':
      return check(config);
    case 'ask':
      if (!argument) throw new UsageError('ask needs the message text in quotes');
      return ask(config, argument, values.locale, values.json ?? false);
    case 'eval':
      if (!argument) throw new UsageError('eval needs a labelled file');
      return evalFile(config, argument, values.json ?? false, values.locale);
    case 'import':
      if (!argument) throw new UsageError('import needs a QnA Maker TSV file');
      return importTsv(config, argument, values.locale, values.out);
    case 'export':
      if (values.yaml) return exportYaml(config, values.yaml, values.version === undefined ? undefined : versionNumber(values.version));
      return exportTsv(config, values.locale, values.out);
    case 'publish':
      if (!argument) throw new UsageError('publish needs the draft directory');
      return publishDraft(config, argument, publication(values.by, values.message));
    case 'rollback':
      if (!argument) throw new UsageError('rollback needs the version number');
      return rollback(config, versionNumber(argument), publication(values.by, values.message));
    case 'versions':
      return listVersions(config, values.json ?? false);
    case 'unanswered':
      return unanswered(config, values.file, values.json ?? false);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

function versionNumber(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`"${text}" is not a version number`);
  return Number(text);
}

/** Each version says who published it and why. */
function publication(by: string | undefined, message: string | undefined) {
  if (!by?.trim() || !message?.trim()) throw new UsageError('say who publishes and why: --by NAME --message "what changed"');
  return { publishedBy: by.trim(), message: message.trim() };
}

if (require.main === module) {
  const fail = (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError || error instanceof KnowledgeBaseError) console.error(error.message);
    else console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = error instanceof UsageError ? 2 : 1;
  };
  try {
    Promise.resolve(main(process.argv.slice(2), process.env)).then((code) => (process.exitCode = code), fail);
  } catch (error) {
    fail(error);
  }
}
