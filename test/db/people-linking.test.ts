// Identity linking on a fixture whose truth is known (test/fixtures/people-linking.ts): strong
// evidence merges, weaker evidence is suggested with its evidence, nothing false is merged; a
// suggested link merges in one click; every merge splits back, and a split pair stays apart.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, type TestEnv, type Session } from '../helpers.js';
import { LINKING_FIXTURE } from '../fixtures/people-linking.js';
import { linkIdentities } from '../../src/people/link.js';

let t: TestEnv;
let owner: Session;
let workspaceId: string;
const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.server.inject({ method, url: `/api/v1${url}`, headers: as(owner), ...(payload === undefined ? {} : { payload: payload as any }) });

/** person id per fixture account (by platform + platform id of its item). */
async function personOf(): Promise<Map<number, number>> {
  const rows = await t.app.db.query<{ platform_id: string; person_id: number }>(
    `select i.platform_id, d.person_id from items i join identities d on d.id = i.identity_id where i.platform_id like 'fx-%'`);
  const byItem = new Map(rows.map((r) => [r.platform_id, r.person_id]));
  return new Map(LINKING_FIXTURE.map((a, i) => [i, byItem.get(a.item.platformId as string)!]));
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  [{ id: workspaceId }] = await t.app.db.query<{ id: string }>(`select id from workspaces`);
  const res = await api('POST', '/items', LINKING_FIXTURE.map((a) => a.item));
  expect(res.json()).toMatchObject({ created: LINKING_FIXTURE.length, rejected: [] });
});
afterAll(() => t?.close());

describe('identity linking', () => {
  it('merges strong evidence only: precision and recall of the automatic links on the fixture', async () => {
    // (The worker's sweep may run the linker too; the outcome is the same, so the test reads the outcome.)
    await linkIdentities(t.app.db, workspaceId);
    const person = await personOf();
    let truePos = 0, falsePos = 0, falseNeg = 0;
    for (let i = 0; i < LINKING_FIXTURE.length; i++) for (let j = i + 1; j < LINKING_FIXTURE.length; j++) {
      const same = LINKING_FIXTURE[i].human === LINKING_FIXTURE[j].human;
      const linked = person.get(i) === person.get(j);
      if (same && linked) truePos++;
      else if (!same && linked) falsePos++;
      else if (same && !linked) falseNeg++;
    }
    const precision = truePos / (truePos + falsePos), recall = truePos / (truePos + falseNeg);
    console.log(`identity linking fixture: ${truePos} true, ${falsePos} false automatic links, ${falseNeg} missed; precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}`);
    expect(falsePos).toBe(0);
    // anna, jörg, lisa, jonas, mira merged; peter (unverified From address) only suggested.
    expect(truePos).toBe(5);
    expect(falseNeg).toBe(1);
    // Merges are events with the evidence.
    const events = await t.app.db.query<any>(`select actor, data from events where type = 'person.merged' order by id`);
    expect(events).toHaveLength(5);
    expect(events.map((e) => e.data.evidence.map((x: any) => x.kind).sort().join('+')).sort()).toEqual(['profile_link', 'same_handle+similar_name', 'same_handle+similar_name', 'same_handle+similar_name', 'verified_email']);
    expect(events.every((e) => e.actor === 'linker')).toBe(true);
    // Running again changes nothing.
    expect((await linkIdentities(t.app.db, workspaceId)).merged).toBe(0);
  });

  it('lists weaker evidence as suggestions and merges one in one click', async () => {
    const links = (await api('GET', '/people/links')).json().links;
    const kinds = links.map((l: any) => l.evidence.map((e: any) => e.kind).join('+')).sort();
    expect(kinds).toEqual(['same_email', 'same_handle']);
    const peter = links.find((l: any) => l.evidence[0].kind === 'same_email');
    expect(peter.evidence[0].detail).toBe('peter@example.org');
    const merged = await api('POST', `/people/links/${peter.id}/merge`);
    expect(merged.statusCode, merged.body).toBe(200);
    const person = await personOf();
    const [p1, p2] = LINKING_FIXTURE.flatMap((a, i) => (a.human === 'peter' ? [person.get(i)] : []));
    expect(p1).toBe(p2);
    const page = (await api('GET', `/people/${p1}`)).json();
    expect(page.identities.map((d: any) => d.platform).sort()).toEqual(['email', 'forum']);
    // The other suggestion (two different Lenas) is dismissed and stays apart.
    const lena = links.find((l: any) => l.evidence[0].kind === 'same_handle');
    expect((await api('POST', `/people/links/${lena.id}/dismiss`)).statusCode).toBe(200);
    expect((await api('GET', '/people/links')).json().links).toEqual([]);
    await linkIdentities(t.app.db, workspaceId);
    const after = await personOf();
    const lenas = LINKING_FIXTURE.flatMap((a, i) => (a.human.startsWith('lena') ? [after.get(i)] : []));
    expect(lenas[0]).not.toBe(lenas[1]);
  });

  it('round trip: merge by hand with a note and tags, split restores both persons, the linker leaves them apart', async () => {
    const person = await personOf();
    const sophie1 = person.get(LINKING_FIXTURE.findIndex((a) => a.human === 'sophie-1'))!;
    const sophie2 = person.get(LINKING_FIXTURE.findIndex((a) => a.human === 'sophie-2'))!;
    await t.server.inject({ method: 'PATCH', url: `/api/v1/people/${sophie2}`, headers: as(owner), payload: { tags: ['Ehrenamt'], fields: { Stadtteil: 'Nordstadt' } } });
    expect((await api('POST', `/people/${sophie2}/notes`, { text: 'Fragt oft nach dem Nachtbus.' })).statusCode).toBe(201);
    const merged = await api('POST', '/people/merge', { into: sophie1, from: sophie2 });
    expect(merged.statusCode, merged.body).toBe(200);
    let page = (await api('GET', `/people/${sophie1}`)).json();
    expect(page.identities).toHaveLength(2);
    expect(page.person.tags).toEqual(['Ehrenamt']);
    expect(page.timeline.filter((x: any) => x.kind === 'note').map((x: any) => x.text)).toEqual(['Fragt oft nach dem Nachtbus.']);
    // The merged person's old id leads to the merged person.
    expect((await api('GET', `/people/${sophie2}`)).json().person.id).toBe(sophie1);
    const merge = page.merges.find((m: any) => m.fromPerson === sophie2);
    const split = await api('POST', `/people/merges/${merge.id}/split`);
    expect(split.statusCode, split.body).toBe(200);
    expect(split.json()).toEqual({ personId: sophie2, restored: 1 });
    page = (await api('GET', `/people/${sophie1}`)).json();
    expect(page.identities).toHaveLength(1);
    const back = (await api('GET', `/people/${sophie2}`)).json();
    expect(back.person).toMatchObject({ id: sophie2, tags: ['Ehrenamt'], fields: { Stadtteil: 'Nordstadt' } });
    expect(back.timeline.filter((x: any) => x.kind === 'note')).toHaveLength(1);
    expect((await api('POST', `/people/merges/${merge.id}/split`)).statusCode).toBe(409);
    const types = (await t.app.db.query<any>(`select type from events where person_id in ($1, $2) and type like 'person.%' order by id`, [sophie1, sophie2])).map((e) => e.type);
    expect(types).toEqual(['person.updated', 'person.note_added', 'person.merged', 'person.split']);
    await linkIdentities(t.app.db, workspaceId);
    expect((await personOf()).get(LINKING_FIXTURE.findIndex((a) => a.human === 'sophie-2'))).toBe(sophie2);
  });

  it('refuses a bad merge naming the field', async () => {
    const res = await api('POST', '/people/merge', { into: 1, from: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/from: cannot merge a person with itself/);
  });
});
