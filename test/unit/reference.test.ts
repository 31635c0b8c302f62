import { describe, expect, it } from 'vitest';
import { filerCode, formatReference, isReference, referenceYear } from '../../functions/domain/reference';

describe('case references', () => {
  it('pad to four digits and grow beyond', () => {
    expect(formatReference('NF29F', 2026, 42)).toBe('SUS-NF29F-2026-0042');
    expect(formatReference('NF29F', 2026, 12345)).toBe('SUS-NF29F-2026-12345');
    expect(isReference('SUS-NF29F-2026-12345')).toBe(true);
    expect(isReference('SUS-NF29F-2026-42')).toBe(false);
    expect(isReference('SUS-NF29F-2026-0042/../x')).toBe(false);
    expect(isReference('SUS-2026-0042')).toBe(false);
  });

  it('refuse a non-positive sequence, and a filer code outside the alphabet', () => {
    expect(() => formatReference('NF29F', 2026, 0)).toThrow(RangeError);
    expect(() => formatReference('NF29I', 2026, 1)).toThrow(RangeError);
  });

  it('give each User a stable five-character code, read without confusion', () => {
    expect(filerCode('northwold-energy-client')).toBe(filerCode('northwold-energy-client'));
    const codes = Array.from({ length: 2000 }, (_, i) => filerCode(`client-${i}`));
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}$/);
    // 2,000 Users in 32^5 codes share one by chance about once in seventeen runs of names; a bias would show as many
    expect(new Set(codes).size).toBeGreaterThanOrEqual(1998);
  });

  it('number by the calendar year in London', () => {
    expect(referenceYear(new Date('2026-12-31T23:59:59Z'))).toBe(2026);
    expect(referenceYear(new Date('2027-01-01T00:00:00Z'))).toBe(2027);
  });
});
