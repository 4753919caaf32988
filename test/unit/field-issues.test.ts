// The server's input complaints in the user's language (web/src/messages/fieldIssues.ts), and
// errorText putting them together; the server's words stay for kinds the app does not know.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../web/src/api.js';
import { errorText, fieldIssueText } from '../../web/src/errors.js';
import { i18nFor } from '../../web/src/i18n.js';

const de = i18nFor('de').t;
const en = i18nFor('en').t;

describe('input complaints', () => {
  it('says limits and formats in German and English', () => {
    expect(fieldIssueText({ field: 'name', code: 'too_big', origin: 'string', maximum: 80, message: 'Too big: expected string to have <=80 characters' }, de)).toBe('darf höchstens 80 Zeichen haben');
    expect(fieldIssueText({ field: 'name', code: 'too_small', origin: 'string', minimum: 1, message: 'Too small: expected string to have >=1 characters' }, de)).toBe('darf nicht leer sein');
    expect(fieldIssueText({ field: 'members', code: 'too_small', origin: 'array', minimum: 2, message: 'Too small: expected array to have >=2 items' }, en)).toBe('needs at least 2 entries');
    expect(fieldIssueText({ field: 'email', code: 'invalid_format', format: 'email', message: 'Invalid email' }, de)).toBe('ist keine E-Mail-Adresse');
    expect(fieldIssueText({ field: 'status', code: 'invalid_value', values: ['open', 'done'], message: 'Invalid option: expected one of "open"|"done"' }, de)).toBe('muss einer dieser Werte sein: "open", "done"');
  });

  it('keeps the server\'s words for a kind it does not know, and where Allmende wrote its own', () => {
    expect(fieldIssueText({ field: 'x', code: 'custom', message: 'Invalid input' }, de)).toBe('Invalid input');
    expect(fieldIssueText({ field: 'language', code: 'invalid_format', format: 'regex', message: 'a two-letter language code' }, de)).toBe('a two-letter language code');
  });

  it('puts every field into one sentence', () => {
    const err = new ApiError(400, 'invalid_input', 'available: expected boolean', {
      fields: [{ field: 'available', code: 'invalid_type', expected: 'boolean', message: 'Invalid input: expected boolean, received string' }],
    });
    expect(errorText(err, de)).toBe('Bitte prüfe die Eingabe: available: fehlt oder hat die falsche Art von Wert');
  });
});
