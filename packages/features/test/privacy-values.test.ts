import { describe, expect, it } from 'vitest';
import {
  DISALLOWED_LIST_CATEGORIES,
  hasDisallowedList,
  isValidPrivacyValue,
  PRIVACY_VALUES,
} from '../src/index';

/** The seed's table (docs/protocol.md §10.1), written out independently of the code's. */
const TABLE: Record<string, string[]> = {
  last: ['all', 'contacts', 'contact_blacklist', 'none'],
  profile: ['all', 'contacts', 'contact_blacklist', 'none'],
  status: ['all', 'contacts', 'contact_blacklist', 'none'],
  groupadd: ['all', 'contacts', 'contact_blacklist', 'none'],
  online: ['all', 'match_last_seen'],
  readreceipts: ['all', 'none'],
  calladd: ['all', 'known', 'contacts'],
  messages: ['all', 'contacts'],
  defense: ['off', 'on_standard'],
};
const EVERY_VALUE = [...new Set(Object.values(TABLE).flat()), 'nobody', ''];

describe('isValidPrivacyValue', () => {
  it('accepts exactly the pairs of the seed table', () => {
    for (const [category, values] of Object.entries(TABLE)) {
      for (const value of EVERY_VALUE) {
        expect(isValidPrivacyValue(category, value), `${category}=${value}`).toBe(values.includes(value));
      }
    }
    expect(Object.keys(PRIVACY_VALUES).sort()).toEqual(Object.keys(TABLE).sort());
  });

  it('accepts nothing for a category it does not know, nor for inherited names', () => {
    expect(isValidPrivacyValue('future_category', 'all')).toBe(false);
    expect(isValidPrivacyValue('toString', 'all')).toBe(false);
    expect(isValidPrivacyValue('__proto__', 'all')).toBe(false);
  });

  it('gives a disallowed list to last, profile, status and groupadd only', () => {
    expect([...DISALLOWED_LIST_CATEGORIES].sort()).toEqual(['groupadd', 'last', 'profile', 'status']);
    for (const category of Object.keys(TABLE)) {
      expect(hasDisallowedList(category)).toBe(TABLE[category]!.includes('contact_blacklist'));
    }
  });
});
