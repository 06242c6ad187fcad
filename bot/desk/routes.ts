import type { Request, Server } from 'restify';
import { diffEntries } from '../../knowledge/versions/diff';
import { etagOf, findEntry, listEntries, parseIfMatch } from '../../knowledge/desk/draft';
import { localeSchema, type Locale } from '../../knowledge/schema';
import { addEdit, deleteEdit, invalid, putEdit, type Reply } from './drafts';
import { jsonOf, asLead } from './lead';
import type { DeskContext } from './context';
import { mountDeskEvents } from './eventsRoute';
import { mountReviewRoutes } from './reviewRoutes';
import { mountUnansweredRoutes } from './unansweredRoutes';

/**
 * The knowledge desk's JSON API under /api/knowledge (leads only): the draft's entries,
 * edited with optimistic concurrency (ETag / If-Match), then tried, evaluated and published
 * (reviewRoutes), and the unanswered questions resolved into it (unansweredRoutes).
 */
export function mountKnowledgeDesk(server: Server, desk: DeskContext): { close(): void } {
  const { drafts } = desk;
  const route = asLead(desk.sessions, desk.logger, desk.staff);

  const localeOf = (value: unknown): Locale | undefined => {
    const parsed = localeSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const badLocale: Reply = { status: 400, body: { error: 'locale must be zh-CN or en-US' } };
  const pathOf = (req: Request) => ({ locale: localeOf(String(req.params.locale)), id: String(req.params.id) });
  const ifMatchOf = (req: Request) => parseIfMatch(req.header('if-match') || undefined);
  const needsIfMatch: Reply = { status: 428, body: { error: 'send If-Match with the ETag you read (GET the entry first): another lead may have changed it since' } };

  server.get('/api/knowledge/entries', route(async (req) => {
    const locale = localeOf((req.query as Record<string, unknown> | undefined)?.locale ?? desk.defaultLocale);
    if (!locale) return badLocale;
    const [state, published] = await Promise.all([drafts.read(), drafts.published()]);
    const draft = state.draft?.files ?? published.files;
    const diff = diffEntries(published.files.flatMap((f) => f.entries), draft.flatMap((f) => f.entries));
    const drafted = diff.added.length + diff.removed.length + diff.changed.length > 0;
    // The placeholders' values, so the page previews an answer as the widget will show it.
    return { status: 200, body: { published: published.number, drafted, placeholders: desk.values[locale], ...listEntries(draft, published.files, locale) } };
  }));

  server.get('/api/knowledge/entries/:locale/:id', route(async (req) => {
    const { locale, id } = pathOf(req);
    if (!locale) return badLocale;
    const entry = findEntry((await drafts.filesOf(await drafts.read())).files, locale, id);
    if (!entry) return { status: 404, body: { error: `no entry ${locale}/${id} in the draft` } };
    return { status: 200, body: entry, etag: etagOf(entry) };
  }));

  server.put('/api/knowledge/entries/:locale/:id', route(async (req) => {
    const { locale, id } = pathOf(req);
    if (!locale) return badLocale;
    const ifMatch = ifMatchOf(req);
    if (!ifMatch) return needsIfMatch;
    const sent = jsonOf(req);
    if ('refuse' in sent) return sent.refuse;
    const checked = drafts.validate(sent.body);
    if ('problems' in checked) return invalid(checked.problems);
    if (checked.entry.locale !== locale || checked.entry.id !== id) return invalid([{ field: 'id', reason: `must be the entry of the address (${locale}/${id}); to rename, add a new entry and delete this one` }]);
    return drafts.update(putEdit(drafts, checked.entry, ifMatch));
  }));

  server.del('/api/knowledge/entries/:locale/:id', route(async (req) => {
    const { locale, id } = pathOf(req);
    if (!locale) return badLocale;
    const ifMatch = ifMatchOf(req);
    if (!ifMatch) return needsIfMatch;
    return drafts.update(deleteEdit(locale, id, ifMatch));
  }));

  server.post('/api/knowledge/entries', route(async (req) => {
    const sent = jsonOf(req);
    if ('refuse' in sent) return sent.refuse;
    const checked = drafts.validate(sent.body);
    if ('problems' in checked) return invalid(checked.problems);
    return drafts.update(addEdit(drafts, checked.entry));
  }));

  mountReviewRoutes(server, desk, route);
  mountUnansweredRoutes(server, desk, route);
  return mountDeskEvents(server, desk);
}
