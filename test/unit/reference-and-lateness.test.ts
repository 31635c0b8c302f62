import { describe, expect, it } from 'vitest';
import { assessLateness, ukDate } from '../../functions/domain/lateness';
import { NotificationSubmission } from '../../functions/domain/notification';
import { formatReference, isReference, referenceYear } from '../../functions/domain/reference';
import { fixture } from '../support/fixtures';

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

describe('late notices', () => {
  const submission = (mutate: (b: any) => void = () => {}) => {
    const body = fixture();
    mutate(body);
    return NotificationSubmission.parse(body);
  };

  it('are not late when the live date is ahead and the system is not in use', () => {
    expect(assessLateness(submission(), '2026-11-24')).toEqual({ late: false, lateReasons: [] });
  });

  it('are late when the system is already in use', () => {
    const result = assessLateness(submission((b) => (b.newUserSystem.alreadyInUse = true)), '2026-11-24');
    expect(result.late).toBe(true);
    expect(result.lateReasons).toEqual([expect.stringContaining('already in use')]);
  });

  it('are late on and after the planned live date', () => {
    expect(assessLateness(submission(), '2027-04-05').late).toBe(true);
    expect(assessLateness(submission(), '2027-04-04').late).toBe(false);
  });

  it('use the UK date, not UTC, across midnight in summer time', () => {
    expect(ukDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukDate(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});
