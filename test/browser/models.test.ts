// The model-quality page in a real browser: the report on the workspace's decisions (per-class
// figures, macro-F1, confusion matrix), labels without enough examples said so, and the retrain
// button telling whether the new model was adopted and why.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner, createToken } from '../helpers.js';
import { decideAll, plan } from '../fixtures/decisions.js';

const env = browserApp(async (t) => {
  const owner = await setupOwner(t.server);
  await decideAll(t, await createToken(t.server, owner), owner);
});

describe('model quality page', () => {
  it('shows the evaluation and retrains on a click', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    await page.getByTestId('nav-models').click();
    const view = page.getByTestId('models-page');
    await view.getByTestId('confusion-matrix').waitFor({ timeout: 20_000 });

    // The starter model is in use for German; the decisions are the report's truth.
    expect(await view.locator('[data-testid="model-row"][data-language="de"]').getAttribute('data-source')).toBe('starter');
    const rows = view.getByTestId('metrics-row');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-class')))).toEqual(['ok', 'offensive', 'threat', 'spam']);
    const matrixTotal = await view.getByTestId('confusion-matrix').locator('td.num').evaluateAll((els) => els.reduce((s, e) => s + Number(e.textContent), 0));
    expect(matrixTotal).toBe(plan.length);
    expect(Number(await view.getByTestId('metrics-macro-f1').textContent())).toBeGreaterThanOrEqual(0);
    // The starter model has no threat head: no item is predicted as a threat.
    expect(await view.getByTestId('cell-threat-threat').textContent()).toBe('0');

    // Spam has 4 examples: the page says it cannot be learned yet, in German.
    const spam = view.locator('[data-testid="label-support-row"][data-label="spam"]');
    expect(await spam.getAttribute('data-enough')).toBe('false');
    expect(await spam.textContent()).toMatch(/zu wenige Beispiele \(4 von 8\)/);
    expect(await view.locator('[data-testid="label-support-row"][data-label="threat"]').getAttribute('data-enough')).toBe('true');

    await view.getByTestId('retrain').click();
    const de = view.locator('[data-testid="retrain-outcome"][data-language="de"]');
    await de.waitFor({ timeout: 60_000 });
    expect(await de.getAttribute('data-adopted')).toBe('true');
    expect(await de.textContent()).toMatch(/neues Modell übernommen – Makro-F1 [\d.]+ statt [\d.]+ bei \d+ zurückgehaltenen Entscheidungen/);
    expect(await de.textContent()).toMatch(/Lernbare Kategorien: .*Drohung/);
    const en = view.locator('[data-testid="retrain-outcome"][data-language="en"]');
    expect(await en.getAttribute('data-adopted')).toBe('false');
    expect(await en.textContent()).toMatch(/mindestens 50/);

    // The page reloads: the German model is now the workspace's own, with a threat head, and predicts threats.
    await expect.poll(() => view.locator('[data-testid="model-row"][data-language="de"]').getAttribute('data-source'), { timeout: 15_000 }).toBe('workspace');
    expect(await view.locator('[data-testid="model-row"][data-language="de"] [data-testid="model-labels"]').textContent()).toMatch(/Drohung/);
    await expect.poll(async () => Number(await view.getByTestId('cell-threat-threat').textContent())).toBeGreaterThan(0);

    // A labelled file: the same report, for the data in the file.
    const tsv = 'text\tlabel\nWir wissen wo du wohnst, heute Nacht wirst du bluten.\tthreat\nWann fährt der Bus wieder?\tok\nDu bist ein Vollidiot.\toffensive\n';
    await view.getByTestId('evaluate-file-input').setInputFiles({ name: 'probe.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
    await view.getByTestId('evaluate-file-submit').click();
    const result = view.getByTestId('evaluate-file-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toMatch(/probe\.tsv: 3 Beiträge/);
    const fileTotal = await result.getByTestId('confusion-matrix').locator('td.num').evaluateAll((els) => els.reduce((s, e) => s + Number(e.textContent), 0));
    expect(fileTotal).toBe(3);
  });
});
