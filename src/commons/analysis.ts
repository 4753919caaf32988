// One analysis of a period: the interaction graph over persons, the commons ratio and its trend,
// connectors, clusters with their terms, newcomer activation and retention. The page asks for the
// figures and the graph separately; both come from the same analysis, kept for a few minutes (routes.ts).
import type { Db } from '../store/db.js';
import { betweenness, clusters, toCsr } from './algorithms.js';
import { loadInteractions, TEAM, type Interaction, type Kind, type Period } from './interactions.js';
import { newcomers, ratioTrend, retention, type Cohort, type Newcomers, type RatioWeek } from './figures.js';
import { distinctiveTerms, type Term } from './terms.js';

/** Sources for sampled betweenness: exact below this many members, estimated above. */
const BETWEENNESS_SOURCES = 256;
const TOP_CONNECTORS = 20;
/** Clusters described (terms, members); smaller ones are counted only. */
const DESCRIBED_CLUSTERS = 12;
const MIN_CLUSTER = 3;

export interface PersonRef { id: number; name: string | null }
export interface Connector extends PersonRef { betweenness: number; cluster: number; clustersReached: number }
export interface Cluster { id: number; size: number; items: number; members: PersonRef[]; terms: Term[] }

export interface Figures {
  from: string; to: string; platforms: string[];
  persons: number;
  interactions: Record<Kind, number>;
  commons: { memberToMember: number; withTeam: number; ratio: number | null; trend: RatioWeek[] };
  connectors: Connector[];
  clusters: { count: number; modularity: number; described: Cluster[] };
  newcomers: Newcomers;
  retention: Cohort[];
  timings: Record<string, number>;
  /** When the analysis was computed (ISO 8601): the server keeps it for a few minutes. Set by the route. */
  computedAt?: string;
}

/** The graph for the view: node 0 of `nodes` may be the team; edges index into `nodes`. */
export interface GraphView {
  nodes: { id: number; name: string | null; team: boolean; cluster: number; weight: number; betweenness: number }[];
  /** [source index, target index, interactions, 1 if one end is the team else 0] */
  edges: [number, number, number, number][];
  truncated: { nodes: number; edges: number };
  /** When the analysis was computed (ISO 8601). Set by the route. */
  computedAt?: string;
}

export interface Analysis { figures: Figures; graph(maxNodes: number, maxEdges: number): Promise<GraphView> }

export async function analyse(db: Db, p: Period): Promise<Analysis> {
  const timings: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => { const t = performance.now(); timings[name] = Math.round(t - t0); t0 = t; };

  const interactions = await loadInteractions(db, p);
  lap('interactions');

  // Persons as dense indexes: index 0 is the team.
  const index = new Map<number, number>([[TEAM, 0]]);
  const ids: number[] = [TEAM];
  const at = (person: number) => {
    let i = index.get(person);
    if (i === undefined) { i = ids.length; index.set(person, i); ids.push(person); }
    return i;
  };
  const counts: Record<Kind, number> = { reply: 0, mention: 0, quote: 0 };
  let memberToMember = 0;
  let withTeam = 0;
  const all: { a: number; b: number; w: number }[] = [];
  for (const it of interactions as Interaction[]) {
    counts[it.kind] += it.n;
    if (it.kind === 'reply') {
      if (it.a !== TEAM && it.b !== TEAM) memberToMember += it.n; else withTeam += it.n;
    }
    all.push({ a: at(it.a), b: at(it.b), w: it.n });
  }
  const n = ids.length;
  // Connectors and clusters are about members among themselves: the team's edges would make the
  // team the centre of everything and one cluster of all its correspondents.
  // The member graph leaves the team (index 0) out: member v is node v - 1 there.
  const members = toCsr(n - 1, all.filter((e) => e.a !== 0 && e.b !== 0).map((e) => ({ a: e.a - 1, b: e.b - 1, w: e.w })));
  lap('graph');
  const between = new Float64Array(n);
  between.set(betweenness(members, BETWEENNESS_SOURCES), 1);
  lap('betweenness');
  const found = clusters(members);
  const clusterOf = new Int32Array(n).fill(-1);
  clusterOf.set(found.of, 1);
  const modularity = found.modularity;
  lap('clusters');

  const sizes = new Map<number, number>();
  for (let v = 1; v < n; v++) if (clusterOf[v] >= 0) sizes.set(clusterOf[v], (sizes.get(clusterOf[v]) ?? 0) + 1);
  const described = [...sizes.entries()].filter(([, s]) => s >= MIN_CLUSTER).sort((a, b) => a[0] - b[0]).slice(0, DESCRIBED_CLUSTERS).map(([c]) => c);
  const describedSet = new Set(described);
  const weight = new Float64Array(n);
  for (const e of all) { weight[e.a] += e.w; weight[e.b] += e.w; }

  const connectorIdx = [...Array(n).keys()].filter((v) => v > 0 && between[v] > 0).sort((x, y) => between[y] - between[x]).slice(0, TOP_CONNECTORS);
  const topMembers = new Map<number, number[]>();
  for (let v = 1; v < n; v++) {
    if (!describedSet.has(clusterOf[v])) continue;
    const list = topMembers.get(clusterOf[v]) ?? [];
    list.push(v);
    topMembers.set(clusterOf[v], list);
  }
  for (const [c, list] of topMembers) topMembers.set(c, list.sort((x, y) => weight[y] - weight[x]).slice(0, 5));
  const names = await personNames(db, [...connectorIdx, ...[...topMembers.values()].flat()].map((v) => ids[v]));
  const ref = (v: number): PersonRef => ({ id: ids[v], name: names.get(ids[v]) ?? null });

  const termMembers: { person: number; cluster: number }[] = [];
  for (let v = 1; v < n; v++) if (describedSet.has(clusterOf[v])) termMembers.push({ person: ids[v], cluster: clusterOf[v] });
  const [terms, trend, fresh, cohorts] = [
    await distinctiveTerms(db, p, termMembers), await ratioTrend(db, p), await newcomers(db, p), await retention(db, p),
  ];
  lap('figures');
  const clusterItems = await itemsPerCluster(db, p, termMembers);

  const figures: Figures = {
    from: p.from.toISOString(), to: p.to.toISOString(), platforms: p.platforms ?? [],
    persons: n - 1,
    interactions: counts,
    commons: { memberToMember, withTeam, ratio: memberToMember + withTeam ? memberToMember / (memberToMember + withTeam) : null, trend },
    connectors: connectorIdx.map((v) => {
      const reached = new Set<number>();
      for (let k = members.start[v - 1]; k < members.start[v]; k++) reached.add(clusterOf[members.adj[k] + 1]);
      return { ...ref(v), betweenness: between[v], cluster: clusterOf[v], clustersReached: reached.size };
    }),
    clusters: {
      count: sizes.size, modularity,
      described: described.map((c) => ({ id: c, size: sizes.get(c)!, items: clusterItems.get(c) ?? 0, members: (topMembers.get(c) ?? []).map(ref), terms: terms.get(c) ?? [] })),
    },
    newcomers: fresh,
    retention: cohorts,
    timings,
  };

  return {
    figures,
    async graph(maxNodes, maxEdges) {
      // The busiest persons (and the team) when there are more than the view can take.
      const order = [...Array(n).keys()].filter((v) => weight[v] > 0).sort((x, y) => (x === 0 ? -1 : y === 0 ? 1 : weight[y] - weight[x]));
      const kept = order.slice(0, maxNodes);
      const pos = new Map(kept.map((v, i) => [v, i]));
      const merged = new Map<number, number>();
      for (const e of all) {
        const a = pos.get(e.a);
        const b = pos.get(e.b);
        if (a === undefined || b === undefined || a === b) continue;
        const key = Math.min(a, b) * kept.length + Math.max(a, b);
        merged.set(key, (merged.get(key) ?? 0) + e.w);
      }
      const edges = [...merged.entries()].sort((x, y) => y[1] - x[1]).slice(0, maxEdges).map(([key, w]): [number, number, number, number] => {
        const a = Math.floor(key / kept.length);
        const b = key % kept.length;
        return [a, b, w, kept[a] === 0 || kept[b] === 0 ? 1 : 0];
      });
      const labels = await personNames(db, kept.filter((v) => v !== 0).map((v) => ids[v]));
      return {
        nodes: kept.map((v) => ({ id: ids[v], name: v === 0 ? null : labels.get(ids[v]) ?? null, team: v === 0, cluster: v === 0 ? -1 : clusterOf[v], weight: weight[v], betweenness: between[v] })),
        edges,
        truncated: { nodes: order.length - kept.length, edges: merged.size - edges.length },
      };
    },
  };
}

/** Display names of persons (erased persons have none). */
async function personNames(db: Db, persons: number[]): Promise<Map<number, string | null>> {
  if (!persons.length) return new Map();
  const rows = await db.query<{ id: number; name: string | null }>(`select id, display_name as name from persons where id = any($1::bigint[])`, [persons]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function itemsPerCluster(db: Db, p: Period, members: { person: number; cluster: number }[]): Promise<Map<number, number>> {
  if (!members.length) return new Map();
  const rows = await db.query<{ cluster: number; n: number }>(`
    select m.cluster, count(*)::int as n
    from items i join identities d on d.id = i.identity_id
    join unnest($5::bigint[], $6::int[]) as m(person, cluster) on m.person = d.person_id
    where i.workspace_id = $1 and i.created_at >= $2 and i.created_at < $3 and ($4::text[] is null or i.platform = any($4)) and i.direction = 'inbound'
    group by 1`, [p.workspaceId, p.from, p.to, p.platforms?.length ? p.platforms : null, members.map((m) => m.person), members.map((m) => m.cluster)]);
  return new Map(rows.map((r) => [r.cluster, r.n]));
}
