import { isDeepStrictEqual } from 'node:util';
import type { Server } from 'restify';
import { z } from 'zod';
import { describeTry } from '../../knowledge/desk/tryRoute';
import { localeSchema, type KbEntry } from '../../knowledge/schema';
import { entriesOf, entryKey } from '../../knowledge/versions/diff';
import { publishVersion, rollbackTo, UnknownVersionError } from '../../knowledge/versions/publish';
import { summaryOf } from '../../knowledge/versions/schema';
import { judgeAsBot } from '../kb/judgeAsBot';
import type { DeskContext } from './context';
import { evaluator } from './evaluation';
import { jsonOf, type LeadRoute } from './lead';
import type { Reply } from './drafts';

const trySchema = z.object({ text: z.string().trim().min(1, 'text is empty').max(500, 'text is longer than 500 characters'), locale: localeSchema });
const publishSchema = z.object({ message: z.string().trim().min(1, 'say what changed (message)').max(500), force: z.boolean().optional() });
const rollbackSchema = z.object({ message: z.string().trim().min(1).max(500).optional() });

function parsed<T>(schema: z.ZodType<T>, body: unknown): { value: T } | { refuse: Reply } {
  const result = schema.safeParse(body);
  return result.success ? { value: result.data } : { refuse: { status: 400, body: { error: result.error.issues[0]?.message ?? 'invalid body' } } };
}

const versionNumber = (text: unknown): number | undefined => (typeof text === 'string' && /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined);

/** Try, evaluate, publish, and the versions with their rollback. */
export function mountReviewRoutes(server: Server, desk: DeskContext, route: LeadRoute): void {
  const { drafts, versions, following } = desk;
  const evaluate = evaluator(desk);

  server.post('/api/knowledge/try', route(async (req) => {
    const sent = jsonOf(req);
    if ('refuse' in sent) return sent.refuse;
    const body = parsed(trySchema, sent.body);
    if ('refuse' in body) return body.refuse;
    const { text, locale } = body.value;
    const describe = (router: ReturnType<DeskContext['served']>['router']) => describeTry(judgeAsBot(router, locale)(text), router, text, locale, desk.values[locale]);
    return { status: 200, body: { draft: describe((await desk.draftKnowledge(await drafts.read())).router), published: describe(desk.served().router) } };
  }, { changes: false }));

  server.post('/api/knowledge/evaluate', route(async () => {
    const { sets, resolved, gate } = await evaluate(await drafts.read());
    return { status: 200, body: { sets, resolved, gate } };
  }, { changes: false }));

  server.post('/api/knowledge/publish', route(async (req, lead) => {
    const sent = jsonOf(req);
    if ('refuse' in sent) return sent.refuse;
    const body = parsed(publishSchema, sent.body);
    if ('refuse' in body) return body.refuse;
    const state = await drafts.read();
    if (!state.draft) return { status: 409, body: { error: 'nothing to publish: no lead has changed the draft since the last publication', reasons: ['the draft is what is published'] } };
    const { invalid, ...evaluation } = await evaluate(state);
    // An invalid draft could not be served by any instance: force does not override that.
    if (!evaluation.gate.ok && (invalid || !body.value.force)) {
      return { status: 409, body: { error: `not published: ${evaluation.gate.reasons.join('; ')}`, reasons: evaluation.gate.reasons, findings: evaluation.gate.findings, evaluation } };
    }
    const version = await publishVersion(versions, state.draft.files, { publishedBy: lead.id, message: body.value.message });
    await drafts.cleared(state.revision);
    await following.check();
    return { status: 201, body: { version: summaryOf(version) } };
  }));

  server.get('/api/knowledge/versions', route(async () => ({ status: 200, body: { serving: following.serving, versions: await versions.list() } })));

  server.get('/api/knowledge/versions/:number', route(async (req) => {
    const number = versionNumber(req.params.number);
    const version = number === undefined ? undefined : await versions.get(number);
    if (!version) return { status: 404, body: { error: `version ${String(req.params.number)} is not kept` } };
    const previous = version.number > 1 ? (await versions.get(version.number - 1))?.files : desk.seed();
    const byKey = (entries: KbEntry[]) => new Map(entries.map((entry) => [entryKey(entry), entry]));
    const before = byKey(previous ? entriesOf(previous) : []);
    const after = byKey(entriesOf(version.files));
    const keys = [...version.diff.added, ...version.diff.removed, ...version.diff.changed].sort();
    const changes = keys
      // The first version's diff is against nothing; against the seed files, most of it is unchanged.
      .filter((key) => !isDeepStrictEqual(before.get(key), after.get(key)))
      .map((key) => ({ key, ...(before.has(key) ? { before: before.get(key) } : {}), ...(after.has(key) ? { after: after.get(key) } : {}) }));
    return { status: 200, body: { version: summaryOf(version), changes } };
  }));

  server.post('/api/knowledge/versions/:number/rollback', route(async (req, lead) => {
    const number = versionNumber(req.params.number);
    if (number === undefined) return { status: 404, body: { error: `no version ${String(req.params.number)}` } };
    const body = parsed(rollbackSchema, req.is('application/json') ? (req.body ?? {}) : {});
    if ('refuse' in body) return body.refuse;
    try {
      const version = await rollbackTo(versions, number, { publishedBy: lead.id, message: body.value.message ?? `rollback to version ${number}` });
      await following.check();
      return { status: 201, body: { version: summaryOf(version) } };
    } catch (error) {
      if (error instanceof UnknownVersionError) return { status: 404, body: { error: error.message } };
      throw error;
    }
  }));
}
