// How the inbox reads a search's tsquery: several words and phrases need the items checked, a
// negation goes through the items, and phrases are loosened for a vector without positions.
import { describe, it, expect } from 'vitest';
import { searchShape } from '../../src/inbox/list.js';

describe('searchShape', () => {
  it('takes one word or words joined by or as exact on the conversation vector', () => {
    expect(searchShape("'fahrradweg' | 'fahrradweg' | 'fahrradwegen'")).toEqual({ multi: false, negated: false, loose: "'fahrradweg' | 'fahrradweg' | 'fahrradwegen'" });
  });
  it('marks several words and phrases, and loosens phrases to all their words', () => {
    expect(searchShape("'baustell' & 'haf'").multi).toBe(true);
    expect(searchShape("'fahrplan' <2> 'wochenend' | 'fahrplan' <-> 'am' <-> 'wochenende'")).toEqual({
      multi: true, negated: false, loose: "'fahrplan' & 'wochenend' | 'fahrplan' & 'am' & 'wochenende'" });
  });
  it('sees a negation, but not operator characters inside a quoted lexeme', () => {
    expect(searchShape("'fahrplan' & !'kundenzentrum'").negated).toBe(true);
    expect(searchShape("'a!b''<->&c'")).toEqual({ multi: false, negated: false, loose: "'a!b''<->&c'" });
  });
});
