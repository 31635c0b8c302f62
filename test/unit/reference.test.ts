import { describe, expect, it } from 'vitest';
import { formatReference, isReference, referenceYear } from '../../functions/domain/reference';

describe('case references', () => {
  it('pad to four digits and grow beyond', () => {
    expect(formatReference(2026, 42)).toBe('SUS-2026-0042');
    expect(formatReference(2026, 12345)).toBe('SUS-2026-12345');
    expect(isReference('SUS-2026-12345')).toBe(true);
    expect(isReference('SUS-2026-42')).toBe(false);
    expect(isReference('SUS-2026-0042/../x')).toBe(false);
  });

  it('refuse a non-positive sequence', () => {
    expect(() => formatReference(2026, 0)).toThrow(RangeError);
  });

  it('number by the calendar year in London', () => {
    expect(referenceYear(new Date('2026-12-31T23:59:59Z'))).toBe(2026);
    expect(referenceYear(new Date('2027-01-01T00:00:00Z'))).toBe(2027);
  });
});

