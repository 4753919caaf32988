// The interactions of a period, read from items and identities: who replied to, mentioned or
// quoted whom. Persons, not accounts: an item's author is its identity's person (after linking),
// and every item the team sent (direction 'outbound') is the team, person 0.
import type { Db } from '../store/db.js';

/** The team (brand) in the graph: outbound items, whichever account sent them. */
export const TEAM = 0;

export interface Period { workspaceId: string; from: Date; to: Date; platforms?: string[] }

export type Kind = 'reply' | 'mention' | 'quote';

/** Interactions from person a to person b of one kind on one platform, counted. */
export interface Interaction { a: number; b: number; kind: Kind; platform: string; n: number }

/** Who wrote an item: 0 for the team, else the person of its identity (null without author). */
export const AUTHOR = (i: string, d: string) => `case when ${i}.direction = 'outbound' then ${TEAM} else ${d}.person_id end`;

/** The period's items with their author and the named extra columns; $1 workspace, $2 from, $3 to, $4 platforms or null. */
export const periodItems = (columns: string) => `
  select i.id, ${AUTHOR('i', 'd')} as who, ${columns}
  from items i left join identities d on d.id = i.identity_id
  where i.workspace_id = $1 and i.created_at >= $2 and i.created_at < $3 and ($4::text[] is null or i.platform = any($4))`;

// A mention is "@name" or "@name@host" (fediverse); matched to an identity's handle on the same
// platform, stored with or without the leading "@".
const MENTION = String.raw`(?:^|[^A-Za-z0-9_.@])@([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_](?:@[A-Za-z0-9.\-]+[A-Za-z0-9])?)`;

export const periodParams = (p: Period) => [p.workspaceId, p.from, p.to, p.platforms?.length ? p.platforms : null];

/** All interactions of the period, self-interactions left out. */
export async function loadInteractions(db: Db, p: Period): Promise<Interaction[]> {
  return db.query<Interaction>(`
    with src as materialized (${periodItems('i.connection_id, i.platform, i.parent_id, i.text, i.links')}),
    replies as (
      select s.who as a, ${AUTHOR('p', 'pd')} as b, 'reply' as kind, s.platform
      from src s join items p on p.connection_id = s.connection_id and p.platform_id = s.parent_id
      left join identities pd on pd.id = p.identity_id
      where s.parent_id is not null),
    -- The handles first (few items mention anyone), then their identities by the handle index.
    mentioned as materialized (
      select s.who as a, s.platform, x.handle
      from src s cross join lateral (select distinct lower(m[1]) as handle from regexp_matches(s.text, '${MENTION}', 'g') m) x
      where s.text like '%@%'),
    mentions as (
      -- A mentioned account that writes for the team (has sent outbound items) is the team.
      select m.a,
        case when exists (select 1 from items o where o.identity_id = h.id and o.direction = 'outbound') then ${TEAM} else h.person_id end as b,
        'mention' as kind, m.platform
      from mentioned m join identities h on h.workspace_id = $1 and lower(h.handle) = any(array[m.handle, '@' || m.handle]) and h.platform = m.platform),
    quotes as (
      select s.who as a, ${AUTHOR('q', 'qd')} as b, 'quote' as kind, s.platform
      from src s join items q on q.workspace_id = $1 and q.permalink = any(s.links)
      left join identities qd on qd.id = q.identity_id
      where cardinality(s.links) > 0)
    select a, b, kind, platform, count(*)::int as n
    from (select * from replies union all select * from mentions union all select * from quotes) x
    where a is not null and b is not null and a <> b
    group by a, b, kind, platform`, periodParams(p));
}
