import { characters, tooLong, withoutFormatting, withoutHiddenFormatting } from './text';
import { type SafeHtml, textField } from './html';
import type { FieldError } from './problem';

/**
 * What a person types on a form behind an emailed link (the SSC's confirmation page, SECAS's
 * assessment forms). As served, such a form lacks these fields, so a mail scanner that submits it
 * as it stands, or with made-up values, acts on nothing.
 */
export const MAX_PERSON_NAME = 200;

/** Form text as the person meant it: line breaks kept, other control characters removed, trimmed. */
export const cleanFormText = (raw: unknown): string =>
  (typeof raw === 'string' ? raw : '')
    .replace(/\r\n?/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this pattern exists to find
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
    .trim();

/**
 * A name given to be recorded with what the person did: one line, with letters in it, and without
 * the invisible formatting characters a pasted name may bring (none can reach a subject or a page
 * as a disguise; the person cannot see them to remove them, so they are dropped, not refused).
 */
export const personName = (raw: unknown): string => withoutHiddenFormatting(cleanFormText(raw)).replace(/\s+/g, ' ').trim();

/** What must be corrected in a typed name, or undefined when it will do. */
export const nameCorrection = (name: string, recordedWith: string): string | undefined => {
  if (name === '') return `Give your name: it is recorded with ${recordedWith}.`;
  if (characters(name) > MAX_PERSON_NAME) return `Your name ${tooLong(MAX_PERSON_NAME, name)}.`;
  if (!/\p{L}/u.test(name)) return 'Give your name in letters.';
  return undefined;
};

/**
 * What must be corrected in a name typed to confirm a decision, beyond nameCorrection: the case's
 * reference (pasted into the wrong field), or anything with digits in it, which a person's name
 * has not (a reference, a phone number, an id): the name is the human half of the confirmation.
 */
export const notReferenceCorrection = (name: string, reference: string): string | undefined => {
  if (typedReference(name) === reference) return 'That is the case reference: give your own name here, and the reference in its own field.';
  if (/\p{N}/u.test(name)) return 'Give your name as it is written, without numbers or references.';
  return undefined;
};

/** A case reference as typed: case, spaces and the dashes word processors substitute do not matter. */
const typedReference = (raw: string): string =>
  withoutFormatting(raw)
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, '')
    .toUpperCase();

/**
 * What must be corrected in a case reference typed to confirm which case is acted on, or
 * undefined when it matches. `confirming` completes "to confirm which case …" ("you decide").
 */
export const referenceCorrection = (typed: string, reference: string, confirming: string): string | undefined => {
  if (typed === '') return `Type the case reference (from the heading of this page or the email) to confirm which case ${confirming}.`;
  if (typedReference(typed) !== reference) return 'That is not the reference of this case: check it against the heading of this page.';
  return undefined;
};

/**
 * The field the case reference is typed into: served empty, never autofilled, so a form submitted
 * as it stands, or filled by a browser or a scanner, carries no reference.
 */
export const caseReferenceField = (typed: string | undefined, corrections: FieldError[], confirming: string): SafeHtml =>
  textField({
    id: 'caseReference',
    name: 'caseReference',
    label: 'The case reference',
    hint: `Type it to confirm which case ${confirming}. It is in the heading of this page and in the email.`,
    pointer: '/caseReference',
    corrections,
    value: typed,
    attributes: 'required autocomplete="off" spellcheck="false"',
    width: 'govuk-input--width-20',
  });
