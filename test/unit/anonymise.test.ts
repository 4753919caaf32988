// Practice cases never reveal their people: names, handles, @mentions, links and e-mail addresses
// are replaced, consistently, and only whole words (a name inside another word stays).
import { describe, it, expect } from 'vitest';
import { anonymiser } from '../../src/training/anonymise.js';

describe('anonymiser', () => {
  it('replaces the author, everyone mentioned, links and e-mail addresses', () => {
    const a = anonymiser([{ name: 'Anna Schmidt', handle: '@anna.k@social.example' }]);
    expect(a('Anna Schmidt (@anna.k@social.example) an @bernd: Anna hat recht, mail an anna@example.org oder https://x.example/anna'))
      .toBe('Person A (Person A) an @person-b: Person A hat recht, mail an [E-Mail] oder [Link]');
    // Whole words only, and special characters in names are taken literally.
    expect(a('Annabell und Schmidtke')).toBe('Annabell und Schmidtke');
    const b = anonymiser([{ name: 'J.R. (Bob)', handle: null }]);
    expect(b('Danke J.R. (Bob)!')).toBe('Danke Person A!');
    // "J.R." is matched literally (the dots are no wildcards); "(Bob)" alone is a part of the name.
    expect(b('JxR. (Bob)')).toBe('JxR. Person A');
  });
});
