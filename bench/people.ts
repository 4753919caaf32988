// Identity linking at scale, on PostgreSQL: 1,000,000 items from 100,000 persons on 5 platforms,
// built in SQL (as ingest leaves them: one identity and one person per account), then one
// `linkIdentities` run: wall time, peak memory of this process, merges and suggestions.
// Each human has accounts on 1–3 platforms under the same handle base and a display name that
// is spelled a little differently; 10% link their Bluesky account in their Mastodon bio, 5%
// have a verified e-mail on the forum and on Discord; 2% share a handle with another human.
//   node --import tsx bench/people.ts [--persons 100000] [--items 1000000]
// Uses a database people_bench_<random> on 127.0.0.1 and drops it afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { linkIdentities } from '../src/people/link.js';

const arg = (name: string, d: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const PERSONS = arg('persons', 100_000);
const ITEMS = arg('items', 1_000_000);
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let peak = 0;
const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;

const name = `people_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(SERVER); url.pathname = `/${name}`;
const db = await openDb({ databaseUrl: url.toString() });
try {
  await migrate(db);
  const t0 = Date.now();
  const [{ id: ws }] = await db.query<{ id: string }>(`insert into workspaces (slug, name) values ('bench', 'Bench') returning id`);
  await db.query(`insert into connections (workspace_id, platform, name) select $1, p, 'default' from unnest(array['mastodon','bluesky','forum','discord','x']) p`, [ws]);
  // Accounts: human h has an account on platform k (0..4) when (h * 7 + k * 3) % 5 < 2, plus always one on (h % 5).
  await db.exec(`
    create temp table acc as
    select h, k, (array['mastodon','bluesky','forum','discord','x'])[k + 1] as platform
    from generate_series(1, ${PERSONS}) h, generate_series(0, 4) k
    where (h * 7 + k * 3) % 5 < 2 or k = h % 5;`);
  await db.query(`select setval(pg_get_serial_sequence('persons', 'id'), 1)`);
  await db.exec(`
    insert into persons (id, workspace_id, display_name, first_seen_at)
    select row_number() over (order by h, k), '${ws}', case when k % 2 = 0 then 'Mitglied ' || h else 'mitglied ' || h || ' 🙂' end, '2026-01-01'
    from acc order by h, k;
    select setval(pg_get_serial_sequence('persons', 'id'), (select max(id) from persons));
    insert into identities (workspace_id, platform, platform_user_id, handle, display_name, person_id, first_seen_at)
    select '${ws}', platform, platform || '-' || h,
      case platform when 'mastodon' then '@member' || (case when h % 50 = 0 then h - 1 else h end) || '@social.example'
                    when 'bluesky' then 'member' || h || '.bsky.social' else 'member' || h end,
      case when k % 2 = 0 then 'Mitglied ' || h else 'mitglied ' || h || ' 🙂' end,
      row_number() over (order by h, k), '2026-01-01'
    from acc order by h, k;`);
  const [{ n: accounts }] = await db.query<{ n: number }>(`select count(*)::int as n from identities`);
  // Items round-robin over the accounts; the newest item of each account carries its raw profile.
  await db.exec(`
    insert into items (workspace_id, connection_id, platform, platform_id, kind, author_platform_id, author_handle, author_name, text, created_at, identity_id, stage, raw)
    select d.workspace_id, c.id, d.platform, 'i' || g, 'comment', d.platform_user_id, d.handle, d.display_name,
      'Wann fährt der Bus nach Nordstadt? ' || g, timestamptz '2026-01-01' + (g || ' minutes')::interval, d.id, 'done',
      case when g > ${ITEMS} - ${accounts} then
        case when d.platform = 'mastodon' and split_part(d.platform_user_id, '-', 2)::int % 10 = 0
               then jsonb_build_object('account', jsonb_build_object('note', '<p>Auch auf <a href="https://bsky.app/profile/member' || split_part(d.platform_user_id, '-', 2) || '.bsky.social">Bluesky</a></p>'))
             when d.platform in ('forum', 'discord') and split_part(d.platform_user_id, '-', 2)::int % 20 = 0
               then jsonb_build_object('user', jsonb_build_object('email', 'm' || split_part(d.platform_user_id, '-', 2) || '@example.org', 'email_verified', true))
             else jsonb_build_object('text', 'no profile') end end
    from generate_series(1, ${ITEMS}) g
    join identities d on d.id = 1 + (g % ${accounts})
    join connections c on c.workspace_id = d.workspace_id and c.platform = d.platform;
    analyze;`);
  const built = Date.now() - t0;
  console.log(`built ${ITEMS.toLocaleString('en')} items, ${accounts.toLocaleString('en')} accounts of ${PERSONS.toLocaleString('en')} humans in ${(built / 1000).toFixed(1)} s`);
  peak = process.memoryUsage().rss;
  const t1 = Date.now();
  const r = await linkIdentities(db, ws, { log: (m) => console.log(`  ${((Date.now() - t1) / 1000).toFixed(1)} s  ${m}`) });
  const wall = Date.now() - t1;
  const [{ persons }] = await db.query<{ persons: number }>(`select count(*)::int as persons from persons where merged_into is null`);
  // The truth is in the account ids (platform-<human>): a person holding two humans is a false merge.
  const [{ wrong }] = await db.query<{ wrong: number }>(
    `select count(*)::int as wrong from (select person_id from identities group by person_id having count(distinct split_part(platform_user_id, '-', 2)) > 1) x`);
  console.log(`linkIdentities: ${(wall / 1000).toFixed(1)} s wall, peak RSS ${mb(peak)}; ${r.identities} identities, ${r.profilesRead} profiles read, ${r.strong} strong pairs, ${r.weak} suggestions, ${r.merged} merges; ${persons} persons left (truth: ${PERSONS}), ${wrong} persons holding two humans (false merges)`);
  const t2 = Date.now();
  const again = await linkIdentities(db, ws);
  console.log(`second run (nothing new to merge): ${((Date.now() - t2) / 1000).toFixed(1)} s, ${again.merged} merges`);
} finally {
  clearInterval(sample);
  await db.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
