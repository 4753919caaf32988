// What each cluster talks about: the word stems its members use far more often than the other
// clusters do. The stems come from the items' search vectors, which the analyse stage builds with
// PostgreSQL's `german` or `english` configuration (by the detected language): stemmed, without
// stop words, so "Buslinie"/"Buslinien" and "lines"/"line" count as one term each.
import type { Db } from '../store/db.js';
import { periodItems, periodParams, type Period } from './interactions.js';

export interface Term { term: string; items: number; score: number }

/**
 * For each cluster: the `perCluster` stems with the highest log-ratio of their share among the
 * cluster's items to their share among all other items of the period, counting each item once per
 * stem; a stem needs at least 3 items and 1 % of the cluster's items, so one chatty post does not
 * make a topic.
 */
export async function distinctiveTerms(db: Db, p: Period, members: { person: number; cluster: number }[], perCluster = 8): Promise<Map<number, Term[]>> {
  const out = new Map<number, Term[]>();
  if (!members.length) return out;
  const rows = await db.query<{ cluster: number; term: string; n: number; score: number }>(`
    with src as materialized (${periodItems('i.search')}),
    m as (select * from unnest($5::bigint[], $6::int[]) as m(person, cluster)),
    -- Each item's stems once; the background is every item of the period, so words everyone
    -- uses ("danke", "thanks") score near zero in every cluster.
    docs as materialized (
      select s.who, t.lexeme from src s cross join lateral unnest(s.search) as t
      where s.search is not null and t.lexeme ~ '^[[:alpha:]][[:alpha:]-]{2,}$'),
    sizes as (select m.cluster, count(*) as items from src s join m on m.person = s.who group by 1),
    per as (select m.cluster, d.lexeme, count(*) as n from docs d join m on m.person = d.who group by 1, 2),
    tot as (select lexeme, count(*) as n from docs where lexeme in (select lexeme from per) group by 1),
    everything as (select count(*) as items from src),
    scored as (
      select per.cluster, per.lexeme, per.n,
        ln((per.n + 0.5) / sizes.items) - ln((tot.n - per.n + 0.5) / greatest(everything.items - sizes.items, 1)) as score
      from per join tot using (lexeme) join sizes using (cluster) cross join everything
      where per.n >= 3 and per.n >= 0.01 * sizes.items),
    ranked as (select *, row_number() over (partition by cluster order by score desc, n desc, lexeme) as r from scored)
    select cluster, lexeme as term, n::int as n, score::float8 as score from ranked where r <= $7 order by cluster, r`,
  [...periodParams(p), members.map((m) => m.person), members.map((m) => m.cluster), perCluster]);
  for (const r of rows) {
    if (!out.has(r.cluster)) out.set(r.cluster, []);
    out.get(r.cluster)!.push({ term: r.term, items: r.n, score: Math.round(r.score * 100) / 100 });
  }
  return out;
}
