// The community page in a real browser: the figures show with their definitions, the graph view
// (sigma.js, WebGL) draws the persons once ForceAtlas2 has laid them out, the cluster filter takes
// persons and connections out of the picture and back, and clicking a person in the graph opens
// their person page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, setupOwner, as, item, drain, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let browser: Browser;
let url: string;
let owner: Session;
const who = (name: string) => ({ platformUserId: `id-${name}`, handle: `@${name}@social.example`, displayName: name[0].toUpperCase() + name.slice(1) });
const team = { platformUserId: 'id-stadtwerke', handle: '@stadtwerke@social.example', displayName: 'Stadtwerke' };
const at = (d: number, h: number) => new Date(Date.now() - d * 86_400_000 + h * 3_600_000).toISOString();

beforeAll(async () => {
  t = await startTestApp();
  url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  owner = await setupOwner(t.server);
  const post = (payload: unknown) => t.server.inject({ method: 'POST', url: '/api/v1/items', headers: as(owner), payload: payload as any });
  expect((await post([item(1, { platformId: 'p1', threadId: 'P', author: who('anna'), text: 'Kommt die neue Buslinie nach Nordstadt?', createdAt: at(10, 0) })])).statusCode).toBe(200);
  const [conn] = (await t.server.inject({ method: 'GET', url: '/api/v1/connections', headers: as(owner) })).json().connections;
  expect((await t.server.inject({ method: 'PUT', url: `/api/v1/inbox/connections/${conn.id}/own-accounts`, headers: as(owner), payload: { accounts: [team.platformUserId] } })).statusCode).toBe(200);
  // anna ← ben, anna ← team, ben ← anna, cara ← ben, team ← dora: three of five replies between
  // members; anna, ben and cara are a cluster, dora (only talking with the team) is in none.
  const rest = await post([
    item(2, { platformId: 'r1', threadId: 'P', parentId: 'p1', author: who('ben'), text: 'Ja, ab Januar.', createdAt: at(10, 1) }),
    item(3, { platformId: 'r2', threadId: 'P', parentId: 'p1', author: team, text: 'Ab dem 4. Januar.', createdAt: at(10, 2) }),
    item(4, { platformId: 'r3', threadId: 'P', parentId: 'r1', author: who('anna'), text: 'Danke!', createdAt: at(10, 3) }),
    item(5, { platformId: 'c1', threadId: 'C', author: who('cara'), text: 'Wo gibt es Fahrpläne?', createdAt: at(5, 0) }),
    item(6, { platformId: 'c2', threadId: 'C', parentId: 'c1', author: who('ben'), text: 'Im Kundencenter.', createdAt: at(5, 1) }),
    item(7, { platformId: 'd1', threadId: 'P', parentId: 'r2', author: who('dora'), text: 'Gilt das auch für die Linie 9?', createdAt: at(4, 0) }),
  ]);
  expect(rest.statusCode, rest.body).toBe(200);
  await drain(t.app);
  // Software WebGL: the graph view draws with WebGL, and the test machine has no GPU.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
afterAll(async () => { await browser?.close(); await t?.close(); });

/** The darkest channel value in the 5×5 page pixels around (x, y) of a screenshot (the background is 252). */
async function darkestAround(page: Page, x: number, y: number): Promise<number> {
  const png = await page.screenshot({ clip: { x: Math.round(x) - 2, y: Math.round(y) - 2, width: 5, height: 5 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let min = 255;
    for (let i = 0; i < d.length; i += 4) min = Math.min(min, d[i], d[i + 1], d[i + 2]);
    return min;
  }, png.toString('base64'));
}

describe('community page', () => {
  it('shows the figures and opens a person clicked in the graph', async () => {
    const page = await browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
    await page.goto(url);
    await page.getByTestId('login-email').fill('owner@example.org');
    await page.getByTestId('login-password').fill('correct horse battery');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-commons').click();
    await expect.poll(() => page.getByTestId('nav-commons').textContent()).toBe('Gemeinschaft');

    const ratio = page.getByTestId('commons-ratio-value');
    await expect.poll(() => ratio.getAttribute('data-value')).toBe(String(3 / 5));
    expect(await ratio.textContent()).toMatch(/^60\s?%$/);
    expect(await page.getByTestId('commons-ratio').textContent()).toContain('Von allen Antworten im Zeitraum');
    expect(await page.getByTestId('commons-connectors').textContent()).toContain('Ben');
    // The server keeps the analysis for a while; the page says when it was computed.
    expect(await page.getByTestId('commons-computed-at').textContent()).toMatch(/^Kennzahlen berechnet um \d\d:\d\d \(gerade eben\)/);

    const graph = page.getByTestId('commons-graph');
    await expect.poll(() => graph.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    expect(await graph.getAttribute('data-nodes')).toBe('5');
    expect(await graph.locator('canvas').count()).toBeGreaterThan(0);

    // The cluster filter leaves the cluster and the team: dora and her connection to the team are
    // gone from the picture (the connection is hidden by its shader: the pixels are looked at).
    const [cara] = await t.app.db.query<{ id: number }>(`select person_id as id from identities where platform_user_id = 'id-cara'`);
    const [dora] = await t.app.db.query<{ id: number }>(`select person_id as id from identities where platform_user_id = 'id-dora'`);
    await graph.scrollIntoViewIfNeeded();
    const doraAt = await graph.evaluate((el, id) => (el as any).personAt(id), dora.id);
    const teamAt = await graph.evaluate((el) => (el as any).teamAt());
    expect(doraAt).not.toBeNull();
    expect(teamAt).not.toBeNull();
    const lineShows = () => darkestAround(page, (doraAt.x + teamAt.x) / 2, (doraAt.y + teamAt.y) / 2);
    expect(await graph.getAttribute('data-shown')).toBe('5');
    await expect.poll(lineShows).toBeLessThan(235);
    await page.getByTestId('commons-cluster-filter').selectOption('0');
    await expect.poll(() => graph.getAttribute('data-shown')).toBe('4');
    await expect.poll(lineShows).toBeGreaterThan(245);
    expect(await graph.evaluate((el, id) => (el as any).personAt(id), dora.id)).toBeNull();
    expect(await graph.evaluate((el, id) => (el as any).personAt(id), cara.id)).not.toBeNull();
    // A resize while filtered makes sigma lay the graph out without dora's connection; it must
    // still come back with the filter off.
    await page.setViewportSize({ width: 1100, height: 900 });
    await expect.poll(() => graph.evaluate((el) => (el as any).teamAt().x)).not.toBe(teamAt.x);
    await page.getByTestId('commons-cluster-filter').selectOption('');
    await expect.poll(() => graph.getAttribute('data-shown')).toBe('5');
    const [doraNow, teamNow] = await graph.evaluate((el, id) => [(el as any).personAt(id), (el as any).teamAt()], dora.id);
    expect(doraNow).not.toBeNull();
    await expect.poll(() => darkestAround(page, (doraNow.x + teamNow.x) / 2, (doraNow.y + teamNow.y) / 2)).toBeLessThan(235);

    const spot = await graph.evaluate((el, id) => (el as any).personAt(id), cara.id);
    expect(spot).not.toBeNull();
    await page.mouse.move(spot.x, spot.y);
    await page.mouse.click(spot.x, spot.y);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(`#/people/${cara.id}`);
    await expect.poll(() => page.getByTestId('person-name').textContent()).toMatch(/^Cara/);
    await page.close();
  });

  it('pans the graph without sending its data to the GPU again in every frame', async () => {
    const page = await browser.newPage({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
    // Counts draws and data uploads in every WebGL context of the page.
    await page.addInitScript(() => {
      const w = window as unknown as { gpu: { draws: number; uploads: number } };
      w.gpu = { draws: 0, uploads: 0 };
      const proto = WebGL2RenderingContext.prototype;
      const { drawArrays, bufferData } = proto;
      proto.drawArrays = function (...a: Parameters<typeof drawArrays>) { w.gpu.draws++; return drawArrays.apply(this, a); };
      proto.bufferData = function (...a: unknown[]) { w.gpu.uploads++; return (bufferData as (...x: unknown[]) => void).apply(this, a); };
    });
    await page.goto(url);
    await page.getByTestId('login-email').fill('owner@example.org');
    await page.getByTestId('login-password').fill('correct horse battery');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-commons').click();
    const graph = page.getByTestId('commons-graph');
    await expect.poll(() => graph.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    await graph.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    const box = (await graph.boundingBox())!;
    const before = await page.evaluate(() => ({ ...(window as unknown as { gpu: { draws: number; uploads: number } }).gpu }));
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(box.x + box.width / 2 + 8 * i, box.y + box.height / 2 + 4 * i);
      await page.waitForTimeout(30);
    }
    const during = await page.evaluate(() => ({ ...(window as unknown as { gpu: { draws: number; uploads: number } }).gpu }));
    await page.mouse.up();
    // The view moved (frames were drawn), and the persons' data stayed where it was on the GPU.
    expect(during.draws - before.draws).toBeGreaterThan(5);
    expect(during.uploads - before.uploads).toBe(0);
    await page.close();
  });
});
