/**
 * Case references: SUS-<year>-<sequence>, e.g. SUS-2026-0042. The sequence restarts each
 * calendar year (UK time) and grows past four digits if a year ever needs it (up to nine: a
 * bound that also keeps a reference path parameter far inside DynamoDB's key size). The reference
 * names the workflow execution, so it must also satisfy Step Functions' execution-name rules.
 */
const PATTERN = /^SUS-(\d{4})-(\d{4,9})$/;

export const formatReference = (year: number, sequence: number): string => {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer: ${sequence}`);
  return `SUS-${year}-${String(sequence).padStart(4, '0')}`;
};

export const isReference = (value: string): boolean => PATTERN.test(value);

/** The year a case received at `instant` is numbered in: the calendar year in London. */
export const referenceYear = (instant: Date): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' }).format(instant));
