// The misinformation API: claims (by hand, from an item, imported from ClaimReview JSON-LD or
// CSV), the claims overview and its CSV, domain lists (CSV in and out), settings, campaigns with
// one action for all their items, and the one-click counter-reply.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { actorOf } from '../inbox/state.js';
import { sendReply } from '../inbox/replies.js';
import { fillTemplate } from '../inbox/canned.js';
import { changeConversations } from '../inbox/state.js';
import { changeModeration } from '../moderation/state.js';
import { VERDICTS, parseClaimReview, parseClaimsCsv, type ClaimInput } from './claimreview.js';
import { DOMAIN_CATEGORIES, parseDomainsCsv, domainsCsv, registrableDomain } from './domains.js';
import { addClaims, updateClaim, deleteClaim, listClaims, claimOut, listDomains, saveDomains, deleteDomain, getSettings, saveSettings } from './store.js';
import { claimsOverview, claimsCsv, listCampaigns, campaignDetail } from './views.js';

const httpUrl = z.string().max(2000).url().refine((u) => /^https?:\/\//i.test(u), 'only http(s) addresses');
const text = (max: number) => z.string().trim().max(max).nullable().default(null).transform((s) => (s ? s : null));
const claimBody = z.object({
  textDe: text(2000), textEn: text(2000), verdict: z.enum(VERDICTS),
  factCheckUrl: httpUrl.nullable().default(null),
  replyDe: text(2000), replyEn: text(2000),
}).refine((c) => c.textDe || c.textEn, { message: 'textDe or textEn is needed', path: ['textDe'] });

const importProblems = (problems: { entry: string; field: string; message: string }[]) =>
  new HttpError(400, 'invalid_input', problems.slice(0, 20).map((p) => `${p.entry}, ${p.field}: ${p.message}`).join('; '), { problems: problems.slice(0, 500) });

export const misinfoRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.get('/misinfo/claims', { config: { access: 'analyst' }, schema: { summary: 'Known claims of the workspace, newest first', tags: ['misinfo'] } },
    async (req) => ({ claims: (await listClaims(app.db, workspaceOf(req).id)).map(claimOut) }));

  r.post('/misinfo/claims', { config: { access: 'manager' }, schema: { summary: 'Add a known claim', tags: ['misinfo'], body: claimBody } },
    async (req, reply) => {
      const [row] = await addClaims(app.db, workspaceOf(req).id, actorOf(req), [req.body as ClaimInput], 'manual');
      if (!row) throw new HttpError(409, 'exists', 'this claim with this fact-check URL is already known');
      return reply.status(201).send(claimOut(row));
    });

  r.put('/misinfo/claims/:id', { config: { access: 'manager' }, schema: { summary: 'Change a claim', tags: ['misinfo'], params: z.object({ id: z.string().uuid() }), body: claimBody } },
    async (req) => {
      const row = await updateClaim(app.db, workspaceOf(req).id, actorOf(req), req.params.id, req.body as ClaimInput);
      if (!row) throw new HttpError(404, 'not_found', 'no such claim in this workspace');
      return claimOut(row);
    });

  r.delete('/misinfo/claims/:id', { config: { access: 'manager' }, schema: { summary: 'Remove a claim (its past signals stay)', tags: ['misinfo'], params: z.object({ id: z.string().uuid() }) } },
    async (req) => {
      if (!(await deleteClaim(app.db, workspaceOf(req).id, actorOf(req), req.params.id))) throw new HttpError(404, 'not_found', 'no such claim in this workspace');
      return { deleted: true };
    });

  r.post('/misinfo/claims/import', {
    config: { access: 'manager' },
    schema: { summary: 'Import claims from schema.org ClaimReview JSON-LD or CSV; with any problem nothing is stored and every problem is named', tags: ['misinfo'],
      body: z.object({ format: z.enum(['claimreview', 'csv']), content: z.string().max(20_000_000), name: z.string().max(200).default('file') }) },
  }, async (req) => {
    const parsed = req.body.format === 'csv' ? parseClaimsCsv(req.body.content) : parseClaimReview(req.body.content);
    if (parsed.problems.length) throw importProblems(parsed.problems);
    if (!parsed.claims.length) throw new HttpError(400, 'invalid_input', 'content: no claims in the file');
    const rows = await addClaims(app.db, workspaceOf(req).id, actorOf(req), parsed.claims, `${req.body.format}:${req.body.name}`);
    return { added: rows.length, alreadyKnown: parsed.claims.length - rows.length };
  });

  r.post('/misinfo/claims/from-item', {
    config: { access: 'moderator' },
    schema: { summary: '"This is a claim": a new claim from an item\'s text (or the selected part of it)', tags: ['misinfo'],
      body: z.object({ itemId: z.number().int().positive(), selection: z.string().trim().min(1).max(2000).optional(), verdict: z.enum(VERDICTS).default('false'), factCheckUrl: httpUrl.nullable().default(null) }) },
  }, async (req, reply) => {
    const ws = workspaceOf(req).id;
    const [item] = await app.db.query<{ id: number; text: string; language: string | null }>(`select id, coalesce(text_normalised, text) as text, language from items where workspace_id = $1 and id = $2`, [ws, req.body.itemId]);
    if (!item) throw new HttpError(404, 'not_found', 'itemId: no such item in this workspace');
    const t = (req.body.selection ?? item.text).slice(0, 2000);
    const de = item.language === 'de';
    const [row] = await addClaims(app.db, ws, actorOf(req), [{ textDe: de ? t : null, textEn: de ? null : t, verdict: req.body.verdict, factCheckUrl: req.body.factCheckUrl, replyDe: null, replyEn: null }], `item:${item.id}`);
    if (!row) throw new HttpError(409, 'exists', 'this claim is already known');
    return reply.status(201).send(claimOut(row));
  });

  r.get('/misinfo/claims/overview', {
    config: { access: 'analyst' },
    schema: { summary: 'Per claim: items, first seen, platforms, items per day, share answered by the team, rising alert. format=csv for a download', tags: ['misinfo'], querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }) },
  }, async (req, reply) => {
    const rows = await claimsOverview(app.db, workspaceOf(req).id, app.clock.now());
    if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="claims.csv"').send(claimsCsv(rows));
    return { claims: rows };
  });

  r.post('/misinfo/items/:id/counter-reply', {
    config: { access: 'moderator' },
    schema: { summary: "Reply to an item with a matched claim's counter-reply (in the item's language) and the fact-check link, through the normal reply path", tags: ['misinfo'],
      params: z.object({ id: z.coerce.number().int().positive() }), body: z.object({ claimId: z.string().uuid() }) },
  }, async (req) => {
    const ws = workspaceOf(req).id;
    const [item] = await app.db.query<any>(`select id, conversation_id, language, platform, author_name, author_handle from items where workspace_id = $1 and id = $2`, [ws, req.params.id]);
    if (!item) throw new HttpError(404, 'not_found', 'no such item in this workspace');
    if (!item.conversation_id) throw new HttpError(400, 'invalid_input', 'the item is in no conversation (yet); it cannot be answered');
    const [claim] = await app.db.query<any>(`select reply_de, reply_en, fact_check_url from claims where workspace_id = $1 and id = $2`, [ws, req.body.claimId]);
    if (!claim) throw new HttpError(404, 'not_found', 'claimId: no such claim in this workspace');
    const body = (item.language === 'de' ? claim.reply_de ?? claim.reply_en : claim.reply_en ?? claim.reply_de) as string | null;
    if (!body) throw new HttpError(400, 'invalid_input', 'claimId: the claim has no counter-reply yet (replyDe / replyEn)');
    const actor = actorOf(req);
    // The same variables as canned responses ({{name}}, {{handle}}, {{agent}} …).
    const filled = fillTemplate(body, { name: item.author_name ?? item.author_handle ?? '', handle: item.author_handle ?? '', platform: item.platform, agent: actor.name, date: app.clock.now().toISOString().slice(0, 10) });
    const textOut = claim.fact_check_url && !filled.text.includes(claim.fact_check_url) ? `${filled.text}\n${claim.fact_check_url}` : filled.text;
    return sendReply(app.db, ws, actor, item.conversation_id, { text: textOut, replyTo: item.id });
  });

  r.get('/misinfo/domains', {
    config: { access: 'analyst' },
    schema: { summary: 'Listed domains with category and note. format=csv for a download', tags: ['misinfo'], querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }) },
  }, async (req, reply) => {
    const rows = await listDomains(app.db, workspaceOf(req).id);
    if (req.query.format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="domains.csv"').send(domainsCsv(rows));
    return { domains: rows };
  });

  r.put('/misinfo/domains', {
    config: { access: 'manager' },
    schema: { summary: 'Add or change listed domains (reduced to the registrable domain)', tags: ['misinfo'],
      body: z.object({ domains: z.array(z.object({ domain: z.string().min(1).max(253), category: z.enum(DOMAIN_CATEGORIES), note: z.string().max(1000).default('') })).max(10_000) }) },
  }, async (req) => {
    const entries = req.body.domains.map((d, i) => {
      const domain = registrableDomain(d.domain);
      if (!domain) throw new HttpError(400, 'invalid_input', `domains.${i}.domain: "${d.domain.slice(0, 100)}" is not a domain name`);
      return { ...d, domain };
    });
    return { saved: await saveDomains(app.db, workspaceOf(req).id, actorOf(req), entries) };
  });

  r.post('/misinfo/domains/import', {
    config: { access: 'manager' },
    schema: { summary: 'Import a domain list as CSV (domain, category, note); with any problem nothing is stored', tags: ['misinfo'], body: z.object({ content: z.string().max(20_000_000) }) },
  }, async (req) => {
    const parsed = parseDomainsCsv(req.body.content);
    if (parsed.problems.length) throw importProblems(parsed.problems);
    return { saved: await saveDomains(app.db, workspaceOf(req).id, actorOf(req), parsed.entries) };
  });

  r.delete('/misinfo/domains/:domain', { config: { access: 'manager' }, schema: { summary: 'Remove a domain from the list', tags: ['misinfo'], params: z.object({ domain: z.string().max(253) }) } },
    async (req) => {
      if (!(await deleteDomain(app.db, workspaceOf(req).id, actorOf(req), req.params.domain))) throw new HttpError(404, 'not_found', 'domain: not listed');
      return { deleted: true };
    });

  r.get('/misinfo/settings', { config: { access: 'analyst' }, schema: { summary: 'Shortener resolution and the thresholds of campaigns, link waves and newcomer bursts', tags: ['misinfo'] } },
    async (req) => getSettings(app.db, workspaceOf(req).id));
  r.put('/misinfo/settings', {
    config: { access: 'admin' },
    schema: { summary: 'Enable shortener resolution (requests to outside servers) and set the thresholds of campaigns, link waves and newcomer bursts; a threshold left out keeps its value', tags: ['misinfo'],
      body: z.object({
        resolveShorteners: z.boolean(), campaignMinAccounts: z.number().int().min(2).max(1000), campaignWindowHours: z.number().int().min(1).max(720),
        linkWaveMinAccounts: z.number().int().min(2).max(1000).optional(), linkWaveWindowHours: z.number().int().min(1).max(720).optional(),
        newAccountDays: z.number().int().min(1).max(365).optional(),
        newcomerMinAuthors: z.number().int().min(2).max(1000).optional(), newcomerWindowMinutes: z.number().int().min(5).max(1440).optional(),
      }) },
  }, async (req) => {
    const ws = workspaceOf(req).id;
    const given = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined));
    return saveSettings(app.db, ws, actorOf(req), { ...(await getSettings(app.db, ws)), ...given });
  });

  r.get('/misinfo/campaigns', { config: { access: 'analyst' }, schema: { summary: 'Suspected campaigns, latest activity first', tags: ['misinfo'], querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) } },
    async (req) => ({ campaigns: await listCampaigns(app.db, workspaceOf(req).id, req.query.limit) }));

  r.get('/misinfo/campaigns/:id', { config: { access: 'analyst' }, schema: { summary: 'A campaign: items, accounts, platforms, first/last seen, timeline', tags: ['misinfo'], params: z.object({ id: z.coerce.number().int().positive() }) } },
    async (req) => {
      const c = await campaignDetail(app.db, workspaceOf(req).id, req.params.id);
      if (!c) throw new HttpError(404, 'not_found', 'no such campaign in this workspace');
      return c;
    });

  r.post('/misinfo/campaigns/:id/action', {
    config: { access: 'moderator' },
    schema: { summary: 'One action for all items of a campaign: hold, hide, label (their conversations) or reply (text, to each conversation once)', tags: ['misinfo'],
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: z.discriminatedUnion('action', [
        z.object({ action: z.enum(['hold', 'hide']), reason: z.string().trim().min(1).max(500).default('suspected coordinated campaign') }),
        z.object({ action: z.literal('label'), label: z.string().trim().min(1).max(100) }),
        z.object({ action: z.literal('reply'), text: z.string().min(1).max(10_000) }),
      ]) },
  }, async (req) => {
    const ws = workspaceOf(req).id;
    const items = await app.db.query<{ id: number; conversation_id: number | null }>(
      `select i.id, i.conversation_id from campaign_items ci join items i on i.id = ci.item_id join campaigns c on c.id = ci.campaign_id
       where c.workspace_id = $1 and c.id = $2 order by i.id`, [ws, req.params.id]);
    if (!items.length) throw new HttpError(404, 'not_found', 'no such campaign in this workspace');
    const actor = actorOf(req);
    const b = req.body;
    const conversations = [...new Set(items.map((i) => i.conversation_id).filter((c): c is number => c !== null))];
    if (b.action === 'hold' || b.action === 'hide') {
      const changed = await changeModeration(app.db, ws, { kind: 'person', userId: actor.userId, name: actor.name },
        items.map((i) => ({ itemId: i.id, to: b.action === 'hold' ? 'held' : 'hidden', reason: b.reason, evidence: { campaignId: req.params.id } })), 'campaign');
      return { items: items.length, changed };
    }
    if (b.action === 'label') {
      const changed = await changeConversations(app.db, ws, actor, conversations, { kind: 'labels', add: [b.label] }, `campaign ${req.params.id}`);
      return { items: items.length, changed: changed.length };
    }
    const replyText = (b as { text: string }).text;
    let sent = 0;
    for (const c of conversations) { await sendReply(app.db, ws, actor, c, { text: replyText }); sent++; }
    return { items: items.length, changed: sent };
  });
};
