import type { Server } from 'restify';
import { z } from 'zod';
import { etagOf, findEntry, replaceEntry, type Resolution } from '../../knowledge/desk/draft';
import { deskGroups } from '../../knowledge/desk/unanswered';
import { localeSchema, type KbEntry } from '../../knowledge/schema';
import type { VersionFile } from '../../knowledge/versions/schema';
import type { DeskContext } from './context';
import { addEdit, invalid, type Edit, type Reply } from './drafts';
import { jsonOf, type LeadRoute } from './lead';

const resolveSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('phrasing'), entryId: z.string().min(1).max(100) }),
  z.object({ action: z.literal('new-entry'), entry: z.unknown() }),
  z.object({ action: z.literal('out-of-scope'), entryId: z.string().min(1).max(100).optional() }),
  z.object({ action: z.literal('dismiss') }),
]);

/** The group's top wording as an alternate of `entry`, unless it is one already. */
function withWording(entry: KbEntry, wording: string): KbEntry {
  const known = [entry.question, ...entry.alternates].some((text) => text.trim() === wording.trim());
  return known ? entry : { ...entry, alternates: [...entry.alternates, wording] };
}

/** What users asked without a good answer, and the lead's four ways to resolve a group. */
export function mountUnansweredRoutes(server: Server, desk: DeskContext, route: LeadRoute): void {
  const { drafts } = desk;

  const groupsOf = async (locale?: 'zh-CN' | 'en-US') => {
    const [signals, state] = await Promise.all([desk.signals.list(), drafts.read()]);
    return deskGroups(signals, desk.served().router, state.resolutions, locale);
  };

  server.get('/api/knowledge/unanswered', route(async (req) => {
    const locale = localeSchema.optional().safeParse((req.query as Record<string, unknown> | undefined)?.locale);
    if (!locale.success) return { status: 400, body: { error: 'locale must be zh-CN or en-US' } };
    const groups = (await groupsOf(locale.data)).map(({ wordings: _wordings, ...group }) => group);
    return { status: 200, body: { groups } };
  }));

  server.post('/api/knowledge/unanswered/:group/resolve', route(async (req, lead) => {
    const sent = jsonOf(req);
    if ('refuse' in sent) return sent.refuse;
    const body = resolveSchema.safeParse(sent.body);
    if (!body.success) return { status: 400, body: { error: 'action must be phrasing (with entryId), new-entry (with entry), out-of-scope or dismiss' } };
    const group = (await groupsOf()).find((g) => g.id === String(req.params.group));
    if (!group) return { status: 404, body: { error: 'no such unanswered group (resolved already, or its wording changed: reload the list)' } };
    const wording = group.examples[0] ?? '';
    const resolution = (expected?: string): Resolution => ({
      group: group.id,
      locale: group.locale,
      wordings: group.wordings.slice(0, 50),
      question: wording,
      action: body.data.action,
      lead: lead.id,
      at: new Date().toISOString(),
      ...(expected === undefined ? {} : { expected }),
    });
    const action = body.data;
    switch (action.action) {
      case 'dismiss':
        return drafts.update(() => ({ reply: { status: 200, body: { resolved: true } }, resolution: resolution() }));
      case 'new-entry': {
        const checked = drafts.validate(action.entry);
        if ('problems' in checked) return invalid(checked.problems);
        if (checked.entry.locale !== group.locale) return invalid([{ field: 'locale', reason: `must be the group's (${group.locale})` }]);
        const added = await drafts.update(addEdit(drafts, checked.entry, resolution(checked.entry.id)));
        return added.status === 201 ? { ...added, status: 200 } : added;
      }
      case 'phrasing':
      case 'out-of-scope':
        return drafts.update((files) => addWording(files, action.entryId, action.action, wording, group.locale, resolution));
    }
  }));

  function addWording(files: VersionFile[], entryId: string | undefined, action: 'phrasing' | 'out-of-scope', wording: string, locale: 'zh-CN' | 'en-US', resolution: (expected?: string) => Resolution): Edit {
    const target = entryId
      ? findEntry(files, locale, entryId)
      : files.flatMap((file) => file.entries).find((entry) => entry.locale === locale && entry.kind === 'out-of-scope');
    const refuse = (reply: Reply): Edit => ({ refuse: reply });
    if (!target) return refuse({ status: 404, body: { error: `no entry ${locale}/${entryId ?? '(out-of-scope)'} in the draft` } });
    if (action === 'out-of-scope' && target.kind !== 'out-of-scope') return refuse({ status: 400, body: { error: `${target.id} is not an out-of-scope entry` } });
    const checked = drafts.validate(withWording(target, wording));
    if ('problems' in checked) return refuse(invalid(checked.problems));
    const entry = checked.entry;
    return {
      files: replaceEntry(files, entry),
      resolution: resolution(action === 'out-of-scope' ? 'fallback' : entry.id),
      reply: { status: 200, body: { resolved: true, entry: { entry, etag: etagOf(entry) } } },
    };
  }
}
