// The rules form in a real browser: conditions and actions as fields write the same rule text,
// the server's parser checks it (an error names the line of the new rule), and the rule is added
// to the text editor and saved from there.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner } from '../helpers.js';

const env = browserApp(async (t) => { await setupOwner(t.server); });

describe('rules form', () => {
  it('builds a rule, shows errors by line, appends and saves it', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    await page.getByTestId('nav-rules').click();
    await expect.poll(() => page.getByTestId('rules-editor').inputValue()).toMatch(/rule "/);
    await page.getByTestId('rule-form-toggle').click();
    const form = page.getByTestId('rule-form');

    await form.getByTestId('rule-form-name').fill('Kurzlinks von neuen Konten');
    const first = form.getByTestId('rule-form-when').first();
    await first.getByTestId('condition-field').selectOption('text');
    await first.getByTestId('condition-op').selectOption('matches');
    await first.getByTestId('condition-value').fill('(ab)\\1');
    await form.getByTestId('rule-form-add-condition').click();
    const second = form.getByTestId('rule-form-when').nth(1);
    await second.getByTestId('condition-field').selectOption('author.accountAgeDays');
    await second.getByTestId('condition-op').selectOption('<');
    await second.getByTestId('condition-value').fill('7');
    await form.getByTestId('rule-form-join').selectOption('and');
    await form.getByTestId('rule-form-action-notify').check();
    await form.getByTestId('rule-form-value-notify').fill('moderation');
    await form.getByTestId('rule-form-reason').fill('Kurzlink von neuem Konto');

    // A backreference is refused by the safe regex engine: the error is on line 2 of the new rule.
    await form.getByTestId('rule-form-check').click();
    const error = form.getByTestId('rule-form-error').first();
    await error.waitFor();
    expect(await error.getAttribute('data-line')).toBe('2');
    expect(await error.textContent()).toMatch(/^Zeile 2 der neuen Regel, Spalte \d+: Rückverweise/);

    await first.getByTestId('condition-field').selectOption('domains');
    await first.getByTestId('condition-op').selectOption('any');
    await first.getByTestId('condition-value').fill('bit.ly, t.me');
    const expected = 'rule "Kurzlinks von neuen Konten"\n  when domains any ["bit.ly", "t.me"]\n    and author.accountAgeDays < 7\n  then hold, notify "moderation"\n  reason "Kurzlink von neuem Konto"\n';
    expect(await form.getByTestId('rule-form-text').textContent()).toBe(expected);
    await form.getByTestId('rule-form-check').click();
    await expect.poll(() => form.getByTestId('rule-form-message').textContent()).toMatch(/korrekt/);

    await form.getByTestId('rule-form-add').click();
    await expect.poll(() => form.getByTestId('rule-form-message').textContent()).toMatch(/Ab Zeile \d+ angehängt/);
    expect(await page.getByTestId('rules-editor').inputValue()).toContain(expected);
    await page.getByTestId('rules-save').click();
    await expect.poll(() => page.getByTestId('rules-message').textContent()).toMatch(/gespeichert: 4 Regeln aktiv/);
    const [row] = await env.t.app.db.query<{ source: string }>('select source from rulesets');
    expect(row.source).toContain(expected);
  });
});
