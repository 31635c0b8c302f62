import * as z from 'zod';

/**
 * One definition of a text's length everywhere (the API, the forms, emails, storage): characters,
 * meaning Unicode code points. It is what a person counts (an emoji or a CJK character is one),
 * what JSON Schema's maxLength means, and what zod's `max` counts; UTF-16 units (JavaScript's
 * `length`, a browser's `maxlength`) would count an emoji twice, and UTF-8 bytes would make a
 * name's limit depend on its script. Storage is bounded by it too: a code point is at most 4
 * bytes in UTF-8, the worst case test/integration/bounded-case.test.ts builds.
 */
export const characters = (text: string): number => {
  let count = 0;
  for (const _ of text) count++;
  return count;
};

/** The limit and the count, as every refusal of a long text says them. */
export const tooLong = (max: number, text: string): string => `must be at most ${max} characters (Unicode code points); it has ${characters(text)}`;

/**
 * A required text of 1 to `max` characters once trimmed: every text field of the API (and of the
 * forms, which go through the same schemas) is one of these, so each counts the same way.
 * `required`: what a missing one is told, where the field is required by another's value.
 */
export const text = (max: number, required?: string) =>
  z
    .string(required ? { error: (issue) => (issue.input === undefined ? required : undefined) } : undefined)
    .trim()
    .min(1)
    .max(max, { error: (issue) => tooLong(max, String(issue.input)) });

/**
 * Invisible formatting characters (Unicode category Cf): the bidirectional overrides and isolates
 * that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069), zero-width spaces and joiners,
 * the byte-order mark, the soft hyphen, word joiners and invisible operators.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;
/** The zero-width non-joiner and joiner, which some scripts (Persian, the Indic scripts) and emoji sequences need inside a word. */
const JOINERS = new Set(['\u200c', '\u200d']);

const hex = (c: string) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first invisible formatting character a one-line text must not hold, if any (the joiners pass). */
const hiddenFormatting = (value: string): string | undefined => value.match(FORMAT_CHARACTERS)?.find((c) => !JOINERS.has(c));

/**
 * A one-line text (a name, a reference): as `text`, and without invisible formatting characters,
 * which in a name only disguise it (U+202E shows "txt.exe" as "exe.txt") and which no subject or
 * header may carry. Refused rather than removed: the API says what it will store.
 */
export const line = (max: number) =>
  text(max)
    .refine((value) => hiddenFormatting(value) === undefined, {
      error: (issue) =>
        `must not hold invisible formatting characters (bidirectional controls, zero-width spaces and the like); it holds ${hex(hiddenFormatting(String(issue.input)) ?? '')}`,
    })
    .meta({ [ONE_LINE]: true });

/** Marks a one-line text in its JSON Schema, for the API description to say so in words (and drop the mark). */
export const ONE_LINE = 'x-one-line';

/** Text with its invisible formatting characters removed (joiners too): for subjects and headers, where none can serve. */
export const withoutFormatting = (value: string): string => value.replace(FORMAT_CHARACTERS, '');

/** What a person typed on a form, without the invisible formatting characters that would disguise a name (the joiners stay). */
export const withoutHiddenFormatting = (value: string): string => value.replace(FORMAT_CHARACTERS, (c) => (JOINERS.has(c) ? c : ''));

/**
 * At most `max` characters of `text`, ending in `mark` when cut: never between the halves of a
 * surrogate pair, since a code point is the unit.
 */
export const truncate = (text: string, max: number, mark = '…'): string => {
  // A string of no more UTF-16 units than `max` has no more code points.
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - characters(mark))).join('')}${mark}`;
};
