// The server's input check (zod issue codes with their limits) said in the user's language.
// null: a kind not known here, and the caller shows the server's own words.
import type { FieldIssue } from '../errors.js';

const list = (values: unknown[] | undefined) => (values ?? []).map((v) => JSON.stringify(v)).join(', ');

export const en = (f: FieldIssue): string | null => {
  switch (f.code) {
    case 'invalid_type': return f.expected === 'undefined' ? 'is not expected here' : 'is missing or has the wrong kind of value';
    case 'too_small':
      if (f.origin === 'string') return Number(f.minimum) <= 1 ? 'must not be empty' : `needs at least ${f.minimum} characters`;
      if (f.origin === 'array' || f.origin === 'set') return `needs at least ${f.minimum} entries`;
      return `must be at least ${f.minimum}`;
    case 'too_big':
      if (f.origin === 'string') return `may have at most ${f.maximum} characters`;
      if (f.origin === 'array' || f.origin === 'set') return `may have at most ${f.maximum} entries`;
      return `may be at most ${f.maximum}`;
    case 'invalid_format':
      if (f.format === 'email') return 'is not an e-mail address';
      if (f.format === 'url') return 'is not a web address';
      if (f.format === 'regex') return 'does not have the expected form';
      return `is not a valid ${f.format ?? 'value'}`;
    case 'invalid_value': return `must be one of ${list(f.values)}`;
    case 'unrecognized_keys': return 'has fields that are not known';
    default: return null;
  }
};

export const de = (f: FieldIssue): string | null => {
  switch (f.code) {
    case 'invalid_type': return f.expected === 'undefined' ? 'ist hier nicht vorgesehen' : 'fehlt oder hat die falsche Art von Wert';
    case 'too_small':
      if (f.origin === 'string') return Number(f.minimum) <= 1 ? 'darf nicht leer sein' : `braucht mindestens ${f.minimum} Zeichen`;
      if (f.origin === 'array' || f.origin === 'set') return `braucht mindestens ${f.minimum} Einträge`;
      return `muss mindestens ${f.minimum} sein`;
    case 'too_big':
      if (f.origin === 'string') return `darf höchstens ${f.maximum} Zeichen haben`;
      if (f.origin === 'array' || f.origin === 'set') return `darf höchstens ${f.maximum} Einträge haben`;
      return `darf höchstens ${f.maximum} sein`;
    case 'invalid_format':
      if (f.format === 'email') return 'ist keine E-Mail-Adresse';
      if (f.format === 'url') return 'ist keine Webadresse';
      if (f.format === 'regex') return 'hat nicht die erwartete Form';
      return `ist kein gültiger Wert (${f.format ?? 'Format'})`;
    case 'invalid_value': return `muss einer dieser Werte sein: ${list(f.values)}`;
    case 'unrecognized_keys': return 'enthält unbekannte Felder';
    default: return null;
  }
};
