// The review queue: items held for a person's decision, oldest first, with what flagged them.
// Toxic text is blurred in the app unless the person chose otherwise; each harmful item shown
// counts towards the person's daily exposure, a workload figure they and their managers see.
import type { Db } from '../store/db.js';

const HARMFUL = `(s.kind = 'words' and s.label in ('insult', 'threat', 'slur')) or (s.kind = 'classifier' and s.label in ('offensive', 'threat') and s.score >= 0.5)`;

/** withoutHarmful: leave harmful items out (a trainee who may not or chose not to see them). */
export async function reviewQueue(db: Db, workspaceId: string, userId: string | null, limit: number, opts: { withoutHarmful?: boolean } = {}) {
  const items = await db.query<any>(
    `select i.id, i.platform, i.kind, i.author_handle, i.author_name, coalesce(i.text_normalised, i.text) as text, i.language,
       i.created_at, i.received_at, i.permalink,
       (select e.data->>'reason' from events e where e.item_id = i.id and e.type = 'moderation' order by e.id desc limit 1) as reason,
       (select e.data->>'actorName' from events e where e.item_id = i.id and e.type = 'moderation' order by e.id desc limit 1) as held_by,
       coalesce((select jsonb_agg(jsonb_build_object('kind', s.kind, 'label', s.label, 'score', s.score, 'source', s.source, 'evidence', s.evidence) order by s.id)
                 from signals s where s.item_id = i.id and s.kind in ('words', 'classifier', 'claim', 'domain', 'campaign', 'link_wave', 'newcomer_burst')), '[]') as signals,
       exists (select 1 from signals s where s.item_id = i.id and (${HARMFUL})) as harmful
     from items i where i.workspace_id = $1 and i.moderation = 'held'
       and not ($3 and exists (select 1 from signals s where s.item_id = i.id and (${HARMFUL})))
     order by i.received_at, i.id limit $2`, [workspaceId, limit, opts.withoutHarmful ?? false]);
  let revealToxic = false;
  let seenToday = 0;
  if (userId) {
    const harmful = items.filter((i) => i.harmful).map((i) => i.id);
    await db.query(
      `insert into harm_views (workspace_id, user_id, item_id) select $1, $2, unnest($3::bigint[]) on conflict do nothing`,
      [workspaceId, userId, harmful]);
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from harm_views where workspace_id = $1 and user_id = $2 and day = current_date`, [workspaceId, userId]);
    seenToday = row.n;
    revealToxic = (await db.query<{ reveal_toxic: boolean }>('select reveal_toxic from users where id = $1', [userId]))[0]?.reveal_toxic ?? false;
  }
  return {
    revealToxic,
    seenToday,
    items: items.map((i) => ({
      id: i.id, platform: i.platform, kind: i.kind, author: { handle: i.author_handle, displayName: i.author_name }, text: i.text,
      language: i.language, createdAt: new Date(i.created_at).toISOString(), permalink: i.permalink, reason: i.reason, heldBy: i.held_by,
      harmful: i.harmful, signals: i.signals,
    })),
  };
}
