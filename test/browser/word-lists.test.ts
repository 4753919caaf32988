// The word-list editor in a real browser: create a list entry by entry (with an allow entry), save,
// see an error pointing at its line, fix it, load a 100,000-entry list, and delete a list.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner } from '../helpers.js';

const env = browserApp(async (t) => { await setupOwner(t.server); });

/** Puts text into the textarea as one paste would (playwright's fill types a 2 MB text far too slowly). */
async function paste(page: import('playwright-core').Page, text: string) {
  await page.getByTestId('list-text').evaluate((el: HTMLTextAreaElement, value) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

const saved = async (name: string) =>
  (await env.t.app.db.query<{ source: string }>('select source from word_lists where name = $1', [name]))[0]?.source ?? null;

describe('word-list editor', () => {
  it('creates, checks, saves and deletes lists', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('nav-wordLists').click();
    await page.getByTestId('word-lists-empty').waitFor();

    await page.getByTestId('word-list-name').fill('lokal');
    await page.getByTestId('word-list-create').click();
    const editor = page.getByTestId('list-editor');
    await editor.getByTestId('entry-category').selectOption('threat');
    await editor.getByTestId('entry-mode').selectOption('start');
    await editor.getByTestId('entry-term').fill('dich  abfackeln');
    await editor.getByTestId('entry-add').click();
    await editor.getByTestId('entry-category').selectOption('allow');
    await editor.getByTestId('entry-mode').selectOption('word');
    await editor.getByTestId('entry-term').fill('Fackelzug');
    await editor.getByTestId('entry-add').click();
    expect(await editor.getByTestId('list-text').inputValue()).toBe('threat start dich abfackeln\nallow word Fackelzug\n');

    // A broken third line: the error names line 3 and jumps there.
    await editor.getByTestId('list-text').fill('threat start dich abfackeln\nallow word Fackelzug\nbedrohung part foo\n');
    await editor.getByTestId('list-save').click();
    const error = editor.getByTestId('list-error');
    await error.waitFor();
    expect(await error.getAttribute('data-line')).toBe('3');
    expect(await error.textContent()).toMatch(/^Zeile 3: unbekannte Kategorie „bedrohung“; erwartet: .* oder allow/);
    await error.click();
    expect(await editor.getByTestId('list-text').evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('bedrohung part foo');
    expect(await saved('lokal')).toBeNull();

    await editor.getByTestId('list-text').fill('threat start dich abfackeln\nallow word Fackelzug\n');
    await editor.getByTestId('list-save').click();
    await expect.poll(() => editor.getByTestId('list-message').textContent()).toMatch(/„lokal“ gespeichert: 1 Eintrag, 1 allow-Eintrag/);
    expect(await saved('lokal')).toBe('threat start dich abfackeln\nallow word Fackelzug\n');
    const row = page.locator('[data-testid="word-list-row"][data-list="lokal"]');
    await expect.poll(() => row.getByTestId('word-list-entries').textContent()).toBe('1');
    expect(await row.getByTestId('word-list-allowed').textContent()).toBe('1');
    await editor.getByRole('button', { name: 'Schließen' }).click();

    // 100,000 entries: shown with line numbers, counted, saved.
    await page.getByTestId('word-list-name').fill('gross');
    await page.getByTestId('word-list-create').click();
    const big = Array.from({ length: 100_000 }, (_, i) => `spam word angebotzz${i.toString(36)}`).join('\n');
    const started = Date.now();
    await paste(page, big);
    await expect.poll(() => page.getByTestId('list-size').textContent()).toMatch(/^100\.000 Einträge/);
    expect(Date.now() - started, 'the editor takes a 100,000-line paste in a few seconds').toBeLessThan(10_000);
    await page.getByTestId('list-save').click();
    await expect.poll(() => page.getByTestId('list-message').textContent(), { timeout: 60_000 }).toMatch(/„gross“ gespeichert: 100\.000 Einträge/);
    expect((await saved('gross'))?.length).toBe(big.length);

    // Over the size limit: said before anything is sent.
    await paste(page, 'spam part ' + 'x'.repeat(10_000_000));
    await expect.poll(() => page.getByTestId('list-size').textContent()).toMatch(/erlaubt sind höchstens 10\.000\.000/);
    expect(await page.getByTestId('list-save').isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Schließen' }).click();

    await page.locator('[data-testid="word-list-row"][data-list="lokal"]').getByTestId('word-list-delete').click();
    await expect.poll(() => page.getByTestId('word-lists-message').textContent()).toMatch(/„lokal“ gelöscht/);
    expect(await saved('lokal')).toBeNull();
    await expect.poll(() => page.getByTestId('word-list-row').count()).toBe(1);
  });
});
