// The pieces identity linking is built from: profile reading (Mastodon HTML notes, forum users),
// account addresses, handle and name normalisation; and the person link in the web app's address.
import { describe, it, expect } from 'vitest';
import { addressesOf, handleBase, nameSimilarity, profileOf, SIMILAR_NAME } from '../../src/people/evidence.js';
import { idFromHash, pageFromHash, personHref } from '../../web/src/nav.js';

describe('linking evidence', () => {
  it('reads links from a Mastodon note and fields, and a verified e-mail from a forum user', () => {
    const p = profileOf({ account: { note: '<p>Hier auch: <a href="https://bsky.app/profile/Anna.bsky.social/">Bluesky</a> und @anna@kiez.social</p>', fields: [{ name: 'Web', value: '<a href="https://www.anna-berg.example">anna-berg.example</a>' }] } });
    expect(p?.links.sort()).toEqual(['@anna@kiez.social', 'anna-berg.example', 'bsky.app/profile/anna.bsky.social']);
    expect(profileOf({ user: { email: 'Jonas@Keller.example', email_verified: true } })).toMatchObject({ email: 'jonas@keller.example', emailVerified: true });
    expect(profileOf({ user: { email: 'x@y.example' } })?.emailVerified).toBe(false);
    expect(profileOf('not an object')).toBeNull();
  });

  it('knows the addresses of an account', () => {
    expect(addressesOf('mastodon', '@anna@kiez.social', 'https://kiez.social/@anna')).toEqual(['kiez.social/@anna', '@anna@kiez.social']);
    expect(addressesOf('bluesky', 'anna.bsky.social', null)).toEqual(['bsky.app/profile/anna.bsky.social', '@anna.bsky.social']);
  });

  it('normalises handles and compares names', () => {
    expect(handleBase('mastodon', '@Anna_Berg@social.example')).toBe('annaberg');
    expect(handleBase('bluesky', 'anna-berg.bsky.social')).toBe('annaberg');
    // A dot in an Instagram, Facebook or forum name is part of the name, not a domain.
    expect(handleBase('instagram', 'lisa.hahn')).toBe('lisahahn');
    expect(handleBase('facebook', 'Lisa.Hahn.77')).toBe('lisahahn77');
    expect(handleBase('mastodon', 'lisa_hahn@social.example')).toBe('lisahahn');
    expect(handleBase('x', 'kai')).toBeNull();
    expect(handleBase('email', 'anna@example.org')).toBeNull();
    expect(nameSimilarity('Jörg Müller', 'Joerg Mueller')).toBe(1);
    expect(nameSimilarity('Berg, Anna', 'Anna Berg')).toBe(1);
    expect(nameSimilarity('Lena Krause', 'Lena Kowalski')).toBeLessThan(SIMILAR_NAME);
    expect(nameSimilarity('Team 1', 'Team 2')).toBe(0);
  });
});

describe('person links in the address', () => {
  it('opens a page with an id', () => {
    expect(personHref(42)).toBe('#/people/42');
    expect(pageFromHash('#/people/42')).toBe('people');
    expect(idFromHash('#/people/42')).toBe(42);
    expect(idFromHash('#/inbox/7')).toBe(7);
    expect(idFromHash('#/people')).toBeNull();
    expect(pageFromHash('#/nonsense/1')).toBe('inbox');
  });
});
