// The people API: list and segments (JSON, CSV), the person page, merge / split / link
// suggestions, notes, tags and fields, keep in touch, privacy (export, erasure, retention).
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { workspaceOf } from '../http/auth.js';
import { HttpError } from '../http/errors.js';
import { PLATFORMS } from '../core/platforms.js';
import { applyMerges, splitMerge, type Actor } from './merge.js';
import { linkIdentities } from './link.js';
import { livePersonId, personPage } from './person.js';
import { countPeople, exportPeople, keepInTouch, listPeople, SORTS, type PeopleFilter, type PeopleSort } from './lists.js';
import { LEVELS } from './stats.js';
import { erasePerson, exportPerson, getRetention, setRetention } from './privacy.js';

const idParam = z.object({ id: z.coerce.number().int().positive() });
const filterInput = z.object({
  tags: z.array(z.string().min(1).max(60)).max(20).optional(),
  platform: z.enum(PLATFORMS).optional(),
  level: z.enum(LEVELS).optional(),
  q: z.string().min(1).max(200).optional(),
});
const listQuery = z.object({
  tag: z.string().max(60).optional(), platform: z.enum(PLATFORMS).optional(), level: z.enum(LEVELS).optional(),
  q: z.string().max(200).optional(), segment: z.string().uuid().optional(), format: z.enum(['json', 'csv']).default('json'),
  sort: z.enum(Object.keys(SORTS) as [PeopleSort, ...PeopleSort[]]).default('last'),
  // A page of the list; the CSV export is every match.
  limit: z.coerce.number().int().min(1).max(500).default(500), offset: z.coerce.number().int().min(0).default(0),
});
const keepQuery = z.object({
  reason: z.enum(['quiet', 'dropped', 'newcomer']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500), offset: z.coerce.number().int().min(0).default(0),
});

const actorOf = (req: FastifyRequest): Actor => ({ userId: req.auth!.user?.id ?? null, name: req.auth!.user?.name ?? 'API token' });

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** Resolves when the stream wants more, rejects when its reader went away. */
const drained = (out: PassThrough) => new Promise<void>((resolve, reject) => {
  const done = (err?: Error) => { out.off('drain', ok); out.off('close', gone); if (err) reject(err); else resolve(); };
  const ok = () => done();
  const gone = () => done(new Error('the CSV reader went away'));
  out.on('drain', ok);
  out.on('close', gone);
});

async function segments(app: App, workspaceId: string) {
  return app.db.query<{ id: string; name: string; filters: PeopleFilter; quiet_days: number }>(
    `select id, name, filters, quiet_days from person_segments where workspace_id = $1 order by name`, [workspaceId]);
}

export const peopleRoutes = (app: App): FastifyPluginAsyncZod => async (r) => {
  r.get('/people', {
    config: { access: 'analyst' },
    schema: { summary: 'People with their level and activity; filters or a saved segment; CSV export with format=csv', tags: ['people'], querystring: listQuery },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const q = req.query;
    let filter: PeopleFilter = { tags: q.tag ? [q.tag] : undefined, platform: q.platform, level: q.level, q: q.q || undefined };
    if (q.segment) {
      const seg = (await segments(app, ws.id)).find((s) => s.id === q.segment);
      if (!seg) throw new HttpError(404, 'not_found', `no segment ${q.segment}`);
      filter = seg.filters;
    }
    const now = app.clock.now();
    if (q.format === 'csv') {
      // Streamed a chunk of persons at a time; a failure before the first byte is a proper error answer.
      const run = await exportPeople(app.db, ws.id, now, filter, q.sort);
      const head = ['id', 'name', 'level', 'platforms', 'handles', 'tags', 'items', 'items_90_days', 'reach_90_days', 'first_item_at', 'last_item_at', 'last_team_contact_at'];
      const out = new PassThrough();
      out.write(head.join(',') + '\r\n');
      // On PostgreSQL the cursor waits for a slow reader (one pooled connection); the embedded
      // database serves everyone through one connection, so there the rows are read at once and wait in the stream.
      const waitForReader = app.db.kind === 'postgres';
      run(async (rows) => {
        if (out.destroyed) throw new Error('the CSV reader went away');
        const text = rows.map((p) => [p.person_id, p.displayName, p.level, p.platforms, p.handles, p.tags, p.items_total, p.items_90, p.reach_90, p.first_item_at, p.last_item_at, p.last_team_at].map(csvCell).join(',') + '\r\n').join('');
        if (!out.write(text) && waitForReader) await drained(out);
      }).then(() => out.end(), (e) => { req.log.warn({ err: e }, 'people CSV export stopped'); out.destroy(e); });
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="people.csv"').send(out);
    }
    const rows = await listPeople(app.db, ws.id, now, filter, { sort: q.sort, limit: q.limit, offset: q.offset });
    return { people: rows, total: await countPeople(app.db, ws.id, filter) };
  });

  r.get('/people/keep-in-touch', {
    config: { access: 'analyst' },
    schema: { summary: 'People to get in touch with: quiet too long, activity dropped, newcomers without answer; one reason and a page with reason, limit, offset', tags: ['people'], querystring: keepQuery },
  }, async (req) => {
    const ws = workspaceOf(req);
    return { rows: await keepInTouch(app.db, ws.id, app.clock.now(), await segments(app, ws.id), req.query) };
  });

  r.get('/people/segments', { config: { access: 'analyst' }, schema: { summary: 'Saved segments', tags: ['people'] } },
    async (req) => ({ segments: await segments(app, workspaceOf(req).id) }));

  r.post('/people/segments', {
    config: { access: 'manager' },
    schema: { summary: 'Save a segment (filters and how many quiet days its people may have)', tags: ['people'],
      body: z.object({ name: z.string().trim().min(1).max(100), filters: filterInput, quietDays: z.number().int().min(1).max(3650).default(30) }) },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const b = req.body;
    const [row] = await app.db.query(
      `insert into person_segments (workspace_id, name, filters, quiet_days, created_by) values ($1, $2, $3, $4, $5)
       on conflict (workspace_id, name) do nothing returning id, name, filters, quiet_days`, [ws.id, b.name, JSON.stringify(b.filters), b.quietDays, actorOf(req).userId]);
    if (!row) throw new HttpError(409, 'name_taken', `name: a segment "${b.name}" exists already`);
    await app.db.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'people.segment_saved', $4)`,
      [ws.id, actorOf(req).userId, actorOf(req).name, JSON.stringify({ before: null, after: row })]);
    return reply.status(201).send(row);
  });

  r.delete('/people/segments/:id', {
    config: { access: 'manager' },
    schema: { summary: 'Delete a segment', tags: ['people'], params: z.object({ id: z.string().uuid() }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const [row] = await app.db.query(`delete from person_segments where id = $1 and workspace_id = $2 returning id, name, filters, quiet_days`, [req.params.id, ws.id]);
    if (!row) throw new HttpError(404, 'not_found', `no segment ${req.params.id}`);
    await app.db.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'people.segment_deleted', $4)`,
      [ws.id, actorOf(req).userId, actorOf(req).name, JSON.stringify({ before: row, after: null })]);
    return { deleted: true };
  });

  r.get('/people/links', {
    config: { access: 'analyst' },
    schema: { summary: 'Suggested links (weaker evidence) for a person to decide', tags: ['people'] },
  }, async (req) => ({
    links: await app.db.query(
      `select l.id, l.score, l.evidence, l.strength,
         json_build_object('id', a.id, 'personId', a.person_id, 'platform', a.platform, 'handle', a.handle, 'displayName', a.display_name) as a,
         json_build_object('id', b.id, 'personId', b.person_id, 'platform', b.platform, 'handle', b.handle, 'displayName', b.display_name) as b
       from identity_links l join identities a on a.id = l.identity_a join identities b on b.id = l.identity_b
       where l.workspace_id = $1 and l.state = 'open' and a.person_id <> b.person_id order by l.score desc, l.id limit 200`, [workspaceOf(req).id]),
  }));

  r.post('/people/links/run', {
    config: { access: 'manager' },
    schema: { summary: 'Run identity linking now (merges strong evidence, suggests weaker)', tags: ['people'] },
  }, async (req) => linkIdentities(app.db, workspaceOf(req).id));

  r.post('/people/links/:id/:decision', {
    config: { access: 'manager' },
    schema: { summary: 'Merge the two persons of a suggested link, or dismiss it', tags: ['people'], params: idParam.extend({ decision: z.enum(['merge', 'dismiss']) }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    return app.db.transaction(async (tx) => {
      const [l] = await tx.query<any>(
        `select l.id, l.evidence, a.person_id as pa, b.person_id as pb from identity_links l join identities a on a.id = l.identity_a join identities b on b.id = l.identity_b
         where l.id = $1 and l.workspace_id = $2 and l.state = 'open' for update of l`, [req.params.id, ws.id]);
      if (!l) throw new HttpError(404, 'not_found', `no open link ${req.params.id}`);
      if (req.params.decision === 'merge') await applyMerges(tx, ws.id, [{ into: Math.min(l.pa, l.pb), from: Math.max(l.pa, l.pb), evidence: l.evidence }], actorOf(req));
      await tx.query(`update identity_links set state = $2, decided_by = $3, decided_at = now() where id = $1`, [l.id, req.params.decision === 'merge' ? 'merged' : 'dismissed', actorOf(req).userId]);
      if (req.params.decision === 'dismiss') {
        await tx.query(`insert into events (workspace_id, person_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'person.link_dismissed', $5)`,
          [ws.id, l.pa, actorOf(req).userId, actorOf(req).name, JSON.stringify({ link: l.id, before: 'open', after: 'dismissed', persons: [l.pa, l.pb] })]);
      }
      return { personId: Math.min(l.pa, l.pb) };
    });
  });

  r.post('/people/merge', {
    config: { access: 'manager' },
    schema: { summary: 'Merge one person into another (reversible: split the merge)', tags: ['people'],
      body: z.object({ into: z.number().int().positive(), from: z.number().int().positive() }).refine((b) => b.into !== b.from, { message: 'cannot merge a person with itself', path: ['from'] }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const n = await app.db.transaction((tx) => applyMerges(tx, ws.id, [{ into: req.body.into, from: req.body.from, evidence: [{ kind: 'manual', detail: 'merged by hand' }] }], actorOf(req)));
    if (!n) throw new HttpError(409, 'not_mergeable', 'from: both persons must exist, be different and not erased or merged already');
    return { personId: req.body.into };
  });

  r.post('/people/merges/:id/split', {
    config: { access: 'manager' },
    schema: { summary: 'Undo a merge: the merged person gets its identities and notes back', tags: ['people'], params: idParam },
  }, async (req) => splitMerge(app.db, workspaceOf(req).id, req.params.id, actorOf(req)));

  r.get('/people/:id', {
    config: { access: 'analyst' },
    schema: { summary: 'The person page: identities, timeline, notes, relationship summary, merges', tags: ['people'], params: idParam },
  }, async (req) => {
    const ws = workspaceOf(req);
    const id = await livePersonId(app.db, ws.id, req.params.id);
    return personPage(app.db, ws.id, id, app.clock.now());
  });

  r.patch('/people/:id', {
    config: { access: 'moderator' },
    schema: { summary: 'Set tags and custom fields', tags: ['people'], params: idParam,
      body: z.object({ tags: z.array(z.string().trim().min(1).max(60)).max(50).optional(), fields: z.record(z.string().min(1).max(60), z.string().max(1000)).optional() }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const id = await livePersonId(app.db, ws.id, req.params.id);
    return app.db.transaction(async (tx) => {
      const [before] = await tx.query<any>(`select tags, fields from persons where id = $1 for update`, [id]);
      const after = { tags: req.body.tags ? [...new Set(req.body.tags)].sort() : before.tags, fields: req.body.fields ?? before.fields };
      await tx.query(`update persons set tags = $2, fields = $3, updated_at = now() where id = $1`, [id, after.tags, JSON.stringify(after.fields)]);
      await tx.query(`insert into events (workspace_id, person_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'person.updated', $5)`,
        [ws.id, id, actorOf(req).userId, actorOf(req).name, JSON.stringify({ before, after })]);
      return after;
    });
  });

  r.post('/people/:id/notes', {
    config: { access: 'moderator' },
    schema: { summary: 'Add a note on the person (internal)', tags: ['people'], params: idParam, body: z.object({ text: z.string().trim().min(1).max(10_000) }) },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const id = await livePersonId(app.db, ws.id, req.params.id);
    const note = await app.db.transaction(async (tx) => {
      const [n] = await tx.query<any>(`insert into person_notes (workspace_id, person_id, author_user_id, text) values ($1, $2, $3, $4) returning id, text, created_at`,
        [ws.id, id, actorOf(req).userId, req.body.text]);
      await tx.query(`insert into events (workspace_id, person_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'person.note_added', $5)`,
        [ws.id, id, actorOf(req).userId, actorOf(req).name, JSON.stringify({ before: null, after: { note: n.id } })]);
      return n;
    });
    return reply.status(201).send(note);
  });

  r.get('/people/:id/export', {
    config: { access: 'admin' },
    schema: { summary: 'Everything Allmende holds about the person (JSON); the export is logged', tags: ['people'], params: idParam },
  }, async (req, reply) => {
    const ws = workspaceOf(req);
    const id = await livePersonId(app.db, ws.id, req.params.id);
    const data = await exportPerson(app.db, ws.id, id, actorOf(req));
    return reply.header('content-disposition', `attachment; filename="person-${id}.json"`).send(data);
  });

  r.post('/people/:id/erase', {
    config: { access: 'admin' },
    schema: { summary: 'Erase the person\'s personal data (keeps anonymised counts); logged', tags: ['people'], params: idParam,
      body: z.object({ confirm: z.literal(true, { message: 'must be true: erasure cannot be undone' }) }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    const id = await livePersonId(app.db, ws.id, req.params.id);
    return erasePerson(app.db, ws.id, id, actorOf(req));
  });

  r.get('/people-privacy', { config: { access: 'analyst' }, schema: { summary: 'Retention of raw platform payloads', tags: ['people'] } },
    async (req) => getRetention(app.db, workspaceOf(req).id));

  r.put('/people-privacy', {
    config: { access: 'admin' },
    schema: { summary: 'Set how many days raw platform payloads are kept (null: for ever)', tags: ['people'], body: z.object({ rawRetentionDays: z.number().int().min(1).max(36500).nullable() }) },
  }, async (req) => {
    const ws = workspaceOf(req);
    await setRetention(app.db, ws.id, req.body.rawRetentionDays, actorOf(req));
    return getRetention(app.db, ws.id);
  });
};
