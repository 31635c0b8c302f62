import { createHash, randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import * as z from 'zod';
import type { CaseEvent } from './case';

/**
 * The personal data a case holds, by the retention schedule's classes (retention.ts), and the form
 * the history chain hashes it in: each personal value is replaced by a salted digest of it,
 * `erased:<SHA-256 (base64url) of salt ‖ RFC 8785 canonical value>`, so the chain attests the
 * value without depending on it. Erasure stores that same digest in place of the value: the chain
 * still verifies with no personal data left, and once the case's salt (one random 256-bit value a
 * case, on its item) is destroyed, a guessed name or address can no longer be confirmed against it.
 * A case stored without a salt (by v1.1.0, before the chain) is hashed as it was, its values as they
 * stand, until the erasure task re-bases its chain on a salt (history-chain.ts planRebase).
 *
 * The erased form is a string, as every value it replaces is: every reader of a stored case (the
 * API's views, the case file, the workflow) keeps reading strings, and no attribute changes type.
 */
export const PERSONAL_CLASSES = ['contact', 'typedNames', 'freeTexts', 'emails'] as const;
export type PersonalClass = (typeof PERSONAL_CLASSES)[number];

const ERASED = /^erased:[A-Za-z0-9_-]{43}$/;

export const isErased = (value: unknown): boolean => typeof value === 'string' && ERASED.test(value);

/** A personal value as the API shows it once erased: where a field has a format of its own (an email address), it admits this too. */
export const ErasedValue = z.string().regex(ERASED).describe('A personal value erased by the retention schedule: `erased:` and its salted digest');

/** A new case's salt: 32 random bytes, base64url. */
export const newSalt = (): string => randomBytes(32).toString('base64url');

/** The salted digest a personal value is hashed as, and erased to. */
export const personalDigest = (value: unknown, salt: string): string =>
  `erased:${createHash('sha256')
    .update(Buffer.from(salt, 'base64url'))
    .update(canonicalize(value) ?? '')
    .digest('base64url')}`;

type Path = readonly string[];

/** Where the case item's recorded fields hold each class. */
const RECORD_PATHS: Record<PersonalClass, readonly Path[]> = {
  contact: [
    ['submission', 'contact', 'name'],
    ['submission', 'contact', 'email'],
  ],
  // The typed signature, and who the register says took the decision (a member, and the Alternate for them).
  typedNames: [
    ['sscDecision', 'decidedBy'],
    ['sscDecisionAs', 'member'],
    ['sscDecisionAs', 'alternate'],
  ],
  freeTexts: [
    ['submission', 'newUserSystem', 'purpose'],
    ['submission', 'newUserSystem', 'securityArchitectureSummary'],
    ['submission', 'withheldDetails'],
    ['sscDecision', 'advice'],
    ['withdrawal', 'reason'],
    ['assessment', 'outcome', 'conditions'],
  ],
  emails: [],
};

/** Where a question-and-answer item (EXCHANGE#) and a delivery problem (DELIVERY#) hold each class. */
const ITEM_PATHS: Record<'EXCHANGE' | 'DELIVERY', Partial<Record<PersonalClass, readonly Path[]>>> = {
  EXCHANGE: { freeTexts: [['question'], ['answer']] },
  DELIVERY: { emails: [['recipient'], ['subject'], ['detail']] },
};

/** Events whose text is what a person typed (advice, a question, an answer, a reason), not a note of the system's. */
const FREE_TEXT_EVENTS: ReadonlySet<string> = new Set(['SscDecisionConfirmed', 'InformationRequestedFromUser', 'WithdrawalRequested', 'UserAnswered']);

/**
 * The class of an event's text: an email's (`To <addresses>: <subject>`, as the writers record a
 * sent email, or an email's delivery problem, naming its recipient), a typed text, or none (the
 * system's notes: deadlines, statuses, faults, which are the record itself).
 */
export const eventTextClass = (event: Pick<CaseEvent, 'type' | 'text' | 'actor'>): PersonalClass | undefined => {
  if (event.text === undefined) return undefined;
  if (event.type.startsWith('Email') || event.text.startsWith('To ')) return 'emails';
  if (FREE_TEXT_EVENTS.has(event.type) || event.actor.kind === 'User') return 'freeTexts';
  return undefined;
};

/** A copy of `value` with the value at `path` replaced by `replace` of it, where there is one. */
const replaceAt = <T>(value: T, path: Path, replace: (v: unknown) => unknown): T => {
  const [key, ...rest] = path;
  if (key === undefined) return replace(value) as T;
  if (typeof value !== 'object' || value === null || !(key in value)) return value;
  const current = (value as Record<string, unknown>)[key];
  if (current === undefined) return value;
  return { ...value, [key]: replaceAt(current, rest, replace) };
};

const replaceAll = <T>(value: T, paths: readonly Path[], replace: (v: unknown) => unknown): T =>
  paths.reduce((acc, path) => replaceAt(acc, path, replace), value);

/**
 * The replacement of a personal value: its salted digest, or, erased already or with no salt
 * (a case before the chain, or one whose every class is erased), the value as it stands.
 */
const toDigest =
  (salt: string | undefined) =>
  (value: unknown): unknown =>
    isErased(value) || salt === undefined ? value : personalDigest(value, salt);

const classes = (only?: readonly PersonalClass[]): readonly PersonalClass[] => only ?? PERSONAL_CLASSES;

/** The case item's recorded fields with the classes' values (all by default) as digests. */
export const sealRecord = <T extends object>(record: T, salt: string | undefined, only?: readonly PersonalClass[]): T =>
  replaceAll(
    record,
    classes(only).flatMap((c) => RECORD_PATHS[c]),
    toDigest(salt),
  );

/** An event with the classes' values (all by default) as digests: the name its actor typed, and its text by its class. */
export const sealEvent = <T extends Pick<CaseEvent, 'type' | 'text' | 'actor'>>(event: T, salt: string | undefined, only?: readonly PersonalClass[]): T => {
  const wanted = classes(only);
  const textClass = eventTextClass(event);
  const paths: Path[] = [...(wanted.includes('typedNames') ? [['actor', 'name']] : []), ...(textClass && wanted.includes(textClass) ? [['text']] : [])];
  return replaceAll(event, paths, toDigest(salt));
};

const itemKind = (sk: string): 'EXCHANGE' | 'DELIVERY' | 'AMENDMENT' | undefined => {
  const kind = sk.split('#')[0];
  return kind === 'EXCHANGE' || kind === 'DELIVERY' || kind === 'AMENDMENT' ? kind : undefined;
};

/** The notice's personal fields by JSON pointer (as an amendment names its fields), with their class. */
const NOTICE_POINTERS: ReadonlyArray<{ pointer: string; class: PersonalClass }> = PERSONAL_CLASSES.flatMap((c) =>
  RECORD_PATHS[c].filter((path) => path[0] === 'submission').map((path) => ({ pointer: `/${path.slice(1).join('/')}`, class: c })),
);

/**
 * An amendment's changes with the classes' values as digests: a change of a personal field (or of
 * something inside one) has its values replaced whole; a change of an object holding one (the
 * contact as a whole), the personal values inside it.
 */
const sealChanges = (changes: unknown, salt: string | undefined, wanted: readonly PersonalClass[]): unknown => {
  if (!Array.isArray(changes)) return changes;
  const personal = NOTICE_POINTERS.filter((p) => wanted.includes(p.class));
  return changes.map((change: { field: string; before?: unknown; after?: unknown }) => {
    const sealed = { ...change };
    for (const { pointer } of personal)
      for (const side of ['before', 'after'] as const) {
        if (sealed[side] === undefined) continue;
        if (sealed.field === pointer || sealed.field.startsWith(`${pointer}/`)) sealed[side] = toDigest(salt)(sealed[side]);
        else if (pointer.startsWith(`${sealed.field}/`))
          sealed[side] = replaceAt(sealed[side], pointer.slice(sealed.field.length + 1).split('/'), toDigest(salt));
      }
    return sealed;
  });
};

/** An item of the case's own (its content, keyed by its sort key) with the classes' values as digests. */
export const sealItem = <T extends object>(sk: string, content: T, salt: string | undefined, only?: readonly PersonalClass[]): T => {
  const kind = itemKind(sk);
  if (!kind) return content;
  if (kind === 'AMENDMENT') {
    const { changes } = content as { changes?: unknown };
    return changes === undefined ? content : { ...content, changes: sealChanges(changes, salt, classes(only)) };
  }
  const paths = ITEM_PATHS[kind];
  return replaceAll(
    content,
    classes(only).flatMap((c) => paths[c] ?? []),
    toDigest(salt),
  );
};

/**
 * An item's sort key with the address it names (a delivery problem's recipient,
 * `DELIVERY#<messageId>#<kind>#<recipient>`) as its digest: erasure moves the item to that key.
 */
export const sealKey = (sk: string, salt: string | undefined, only?: readonly PersonalClass[]): string => {
  if (itemKind(sk) !== 'DELIVERY' || !classes(only).includes('emails')) return sk;
  const [kind, messageId, problem, ...recipient] = sk.split('#');
  return [kind, messageId, problem, toDigest(salt)(recipient.join('#'))].join('#');
};
