import { createHash } from 'node:crypto';

/**
 * Case references: SUS-<filer>-<year>-<sequence>, e.g. SUS-K7Q2M-2026-0042.
 *
 * <filer> is a five-character code derived from the filing User's API client, and each filer
 * has its own sequence per calendar year (UK time). So a User's references count only its own
 * notifications: filing twice tells it nothing about what other Users filed in between. The
 * code is a hash, not a lookup, so issuing one needs no registry; 32^5 codes make a clash
 * between two Users unlikely (about 1 in 6,700 with a hundred Users), and a clash only merges
 * those two Users' sequences: references stay unique because the sequence is kept per code.
 *
 * The sequence grows past four digits if a year ever needs it (up to nine: a bound that also
 * keeps a reference path parameter far inside DynamoDB's key size). The reference names the
 * workflow execution, so it must also satisfy Step Functions' execution-name rules.
 */
const PATTERN = /^SUS-([0-9A-HJKMNP-TV-Z]{5})-(\d{4})-(\d{4,9})$/;
/** The form of a reference, for the API description. */
export const REFERENCE_PATTERN = PATTERN.source;

/** Crockford's base 32: no I, L, O or U, so a code read aloud or retyped is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The filer code of the User whose API client is `ownerId`. */
export const filerCode = (ownerId: string): string => {
  const digest = createHash('sha256').update(ownerId, 'utf8').digest();
  const bits = digest.readUIntBE(0, 4); // 32 bits, of which the code takes 25
  return Array.from({ length: 5 }, (_, i) => ALPHABET[(bits >>> (i * 5)) & 31]).join('');
};

export const formatReference = (filer: string, year: number, sequence: number): string => {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer: ${sequence}`);
  const reference = `SUS-${filer}-${year}-${String(sequence).padStart(4, '0')}`;
  if (!PATTERN.test(reference)) throw new RangeError(`not a reference: ${reference}`);
  return reference;
};

export const isReference = (value: string): boolean => PATTERN.test(value);

/** The filer code a reference carries, or undefined when it is not a reference. */
export const filerOf = (reference: string): string | undefined => PATTERN.exec(reference)?.[1];

/** The year a case received at `instant` is numbered in: the calendar year in London. */
export const referenceYear = (instant: Date): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric' }).format(instant));
