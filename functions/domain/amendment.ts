import canonicalize from 'canonicalize';
import * as z from 'zod';
import { notificationDateRules, outsideWindow, valueAt, windowOf } from './admission';
import { NotificationSubmission } from './notification';
import { type FieldError, Problem, invalidFields, validationProblem } from './problem';
import type { IsoDate } from './working-days';

/**
 * Amendments to a filed notice: a JSON merge patch (RFC 7396) of the notification's fields,
 * applied to the notice as it stands and validated exactly as intake validates a notice, so
 * that whatever an amendment makes, the workflow can carry. Pure: the caller passes today.
 */

/** The body of PATCH /notifications/{reference}: any JSON object, read as a merge patch of the notification. */
export const NotificationPatch = z
  .record(z.string(), z.unknown())
  .describe(
    "A JSON merge patch (RFC 7396) of the notification's fields (the `notification` of the case): a field given replaces the one filed, `null` removes an optional field, an object patches the object it names, an array replaces the whole array. The notice it makes is validated as a notification is at intake; a field the notification does not have is a 422 naming it.",
  );
export type NotificationPatch = z.infer<typeof NotificationPatch>;

/** JSON as parsed (the body parser's output: no undefined, no functions). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * RFC 7396 §2, as its pseudo-code reads: written here because it is those ten lines, and the
 * packages that offer it either predate the RFC's treatment of arrays or carry a JSON Patch
 * engine besides.
 */
export const mergePatch = (target: Json | undefined, patch: Json): Json => {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
};

const pointerOf = (path: ReadonlyArray<string>): string => `/${path.map((key) => key.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

type Schema = { type?: unknown; properties?: Record<string, Schema>; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[] };

/**
 * The notification's fields, by JSON pointer (every branch of a union counted): a patch may name
 * only these. An array's items are not fields of their own, as a merge patch replaces the whole array.
 */
const knownFields = ((): ReadonlySet<string> => {
  const fields = new Set<string>();
  const visit = (schema: Schema, path: string[]) => {
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) visit(branch, path);
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      fields.add(pointerOf([...path, key]));
      visit(property, [...path, key]);
    }
  };
  visit(z.toJSONSchema(NotificationSubmission, { io: 'input' }) as Schema, []);
  return fields;
})();

/** The fields a patch names that the notification does not have (an object patch's keys, at any depth). */
export const unknownFields = (patch: JsonObject, path: string[] = []): FieldError[] =>
  Object.entries(patch).flatMap(([key, value]) => {
    const at = [...path, key];
    if (!knownFields.has(pointerOf(at))) return [{ pointer: pointerOf(at), detail: 'unknown field: the notification has no such field' }];
    return isObject(value) ? unknownFields(value, at) : [];
  });

/** One field's change: its value before and after (absent where the field was not given, or is removed). */
export interface FieldChange {
  /** JSON pointer of the field in the notification, as in a 422's errors. */
  field: string;
  before?: unknown;
  after?: unknown;
}

const same = (a: unknown, b: unknown): boolean => canonicalize(a) === canonicalize(b);

/**
 * What differs between two notices, field by field: objects are compared key by key, anything
 * else (a text, a date, an array of roles or User IDs) as a whole. An operator that changes kind
 * changes as a whole, since its fields mean something only with it.
 */
export const fieldChanges = (before: Json | undefined, after: Json | undefined, path: string[] = []): FieldChange[] => {
  const kindChanged = isObject(before) && isObject(after) && 'kind' in before && before.kind !== after.kind;
  if (isObject(before) && isObject(after) && !kindChanged) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], [...path, key]));
  }
  if (same(before, after)) return [];
  return [{ field: pointerOf(path), ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) }];
};

export type AmendmentOutcome = { ok: true; submission: NotificationSubmission; changes: FieldChange[] } | { ok: false; problem: Problem };

/** Whether `field` is `pointer` or lies inside it (a date inside a changed operator). */
const within = (field: string, pointer: string): boolean => pointer === field || pointer.startsWith(`${field}/`);

/**
 * The notice a patch makes of `current`, validated as intake validates a notice (the same schema,
 * the same date windows on `today`), and what it changes. The date windows hold for the dates the
 * patch changes: a date the notice was admitted with is one the workflow already carries, and a
 * User moving its live date need not restate an annual review that has come closer meanwhile.
 */
export const amendNotice = (current: NotificationSubmission, patch: NotificationPatch, today: IsoDate): AmendmentOutcome => {
  const unknown = unknownFields(patch as JsonObject);
  if (unknown.length) return { ok: false, problem: invalidFields(unknown, 'The patch names fields the notification does not have') };
  const parsed = NotificationSubmission.safeParse(mergePatch(current as Json, patch as JsonObject));
  if (!parsed.success) return { ok: false, problem: validationProblem(parsed.error, 'The amended notification is not valid') };
  const changes = fieldChanges(current as Json, parsed.data as Json);
  const dateErrors = notificationDateRules.flatMap((rule) =>
    changes.some((change) => within(change.field, rule.pointer)) ? (outsideWindow(valueAt(parsed.data, rule.pointer), windowOf(rule, today)) ?? []) : [],
  );
  if (dateErrors.length) return { ok: false, problem: invalidFields(dateErrors, 'The amended notification is not valid') };
  return { ok: true, submission: parsed.data, changes };
};

/** The fields an amendment changes, as its history event says them (the values are on the amendment). */
export const changeSummary = (version: number, changes: ReadonlyArray<FieldChange>): string =>
  `Version ${version}: ${changes.map((change) => change.field).join(', ')}`;

/** The ETag of a case: its notice's version, quoted (a strong validator: one version, one notice). */
export const etagOf = (version: number): string => `"${version}"`;

/**
 * The version an If-Match names: undefined when none is given (or `*`, which names no version and
 * so cannot guard against a lost update), 0 for a value that is no ETag this API gave.
 */
export const versionNamed = (ifMatch: string | undefined): number | undefined => {
  const value = ifMatch?.trim();
  if (!value || value === '*') return undefined;
  const match = /^"([1-9]\d{0,8})"$/.exec(value);
  return match ? Number(match[1]) : 0;
};

/**
 * What the amendments after version `seen` changed, field by field: each field's value before the
 * first of them and after the last (a field changed and changed back drops out).
 */
export const changesSince = (amendments: ReadonlyArray<{ version: number; changes: ReadonlyArray<FieldChange> }>, seen: number): FieldChange[] => {
  const combined = new Map<string, FieldChange>();
  for (const amendment of [...amendments].filter((a) => a.version > seen).sort((a, b) => a.version - b.version))
    for (const change of amendment.changes) {
      const first = combined.get(change.field);
      const { after } = change;
      combined.set(change.field, {
        field: change.field,
        ...(first ? ('before' in first ? { before: first.before } : {}) : 'before' in change ? { before: change.before } : {}),
        ...(after !== undefined ? { after } : {}),
      });
    }
  return [...combined.values()].filter((change) => !same(change.before, change.after));
};

/** The notice's dates: after the SSC's decision, the only fields an amendment may change. */
export const DATE_FIELDS: readonly string[] = [
  '/existingUserSystem/fullUserSecurityAssessmentCompletedOn',
  '/existingUserSystem/nextAnnualReviewOn',
  '/newUserSystem/plannedProcurementOn',
  '/newUserSystem/plannedLiveOn',
];

/** Who notifies, who operates or provides the system, and which system it is: what the SSC's decision was about. */
const IDENTITY_FIELDS: readonly string[] = ['/party', '/newUserSystem/name', '/newUserSystem/change', '/newUserSystem/operator', '/newUserSystem/userIds'];

/**
 * Why an amendment cannot be taken after the SSC's decision, or undefined when it can (it changes
 * dates only): a change of who notifies, operates or provides the system, or of which system it
 * is, asks for a new notification naming this case; any other field is not the SSC's to revisit.
 */
export const afterDecisionRefusal = (reference: string, changes: ReadonlyArray<FieldChange>): Problem | undefined => {
  const identity = changes.filter((c) => IDENTITY_FIELDS.some((field) => within(field, c.field)));
  if (identity.length)
    return new Problem(
      409,
      'conflict',
      'File a new notification',
      `The SSC has decided case ${reference}: a change of operator, provider or system identity (${identity.map((c) => c.field).join(', ')}) is a different notice. File a new notification, naming ${reference} as the case it replaces. Nothing was changed.`,
      { errors: identity.map((c) => ({ pointer: c.field, detail: `cannot change after the SSC's decision: file a new notification naming ${reference}` })) },
    );
  const others = changes.filter((c) => !DATE_FIELDS.includes(c.field));
  if (others.length)
    return new Problem(
      409,
      'conflict',
      'Only dates can be amended now',
      `The SSC has decided case ${reference}: after the decision only the notice's dates can be amended (${DATE_FIELDS.join(', ')}). Nothing was changed.`,
      { errors: others.map((c) => ({ pointer: c.field, detail: "cannot change after the SSC's decision: only dates can" })) },
    );
  return undefined;
};
