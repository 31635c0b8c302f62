import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import * as z from 'zod';
import type { CaseEvent, CaseRecord } from './case';
import { sealEvent, sealItem, sealKey, sealRecord } from './personal-data';

/**
 * The case's tamper-evident history: a hash chain over its events. Each event carries its place
 * (`seq`, 1, 2, 3 …) and `hash` = SHA-256 (base64url) of the RFC 8785 canonical JSON of
 * { reference, seq, prev (the previous event's hash, '' before the first), event (its content,
 * with the chain's own fields `state`, `covers` and `caughtUp` but not `seq` and `hash`) }.
 * An edit, a deletion, an insertion or a reordering of any event breaks the hash of that event
 * or of the next; the case item's `chain` head ({ seq, hash } of the last chained event), compared
 * with the anchored heads kept outside the table, catches a replay of an older history.
 *
 * What else a case file shows is tied to the chain by digests recorded in the event written with it:
 * `state` is the digest of the case item's recorded fields after the write (RECORDED_FIELDS), `before`
 * their digest as the write found them (held to the previous write's `state`), and `covers` the
 * digests of the case's items of its own (a question and its answer, a delivery problem).
 *
 * Personal values are hashed as their salted digests (personal-data.ts), `salt` being the case's
 * (on its item; none for a case stored before the chain): erasing a value, which stores that
 * digest in its place, leaves every hash and digest as it was.
 */
/** An item of the case's own as the verifier and the writers see it: its sort key in the case's partition, and its digest. */
export interface ItemDigest {
  sk: string;
  digest: string;
}

/** An item as an event covers it: its key's digest cut to 16 characters (96 bits, unique within a case), and its content's digest. */
export interface Cover {
  key: string;
  digest: string;
}

export interface ChainFields {
  seq: number;
  hash: string;
  /** Digest of the case item's recorded fields after the write that appended this event (the last event of each write). */
  state?: string;
  /**
   * Digest of the recorded fields as the write found them, where nothing the workflow wrote came
   * between it and the previous write: the verifier holds it to that write's `state`, so a change
   * made to the case item between two writes is not attested by the second.
   */
  before?: string;
  /** Digests of the items of their own written with this event. */
  covers?: Cover[];
  /** How many events the workflow's own DynamoDB writes appended unchained just before this one, which this write chained as they were. */
  caughtUp?: number;
  /**
   * On the event that re-based an unsalted chain (a case stored before salting, planRebase): the
   * head the chain had, unsalted, over every event before this one, which those events hashed as
   * they were chained must give, as must the anchors taken before; its `covers` attest every item
   * of the case afresh.
   */
  rebasedFrom?: ChainHead;
  /** On that event: the anchor the unsalted chain was verified against before it was re-based. */
  verifiedAgainst?: ChainHead & { at: string };
}

/** An event as stored: chained, or (written before the chain, or by the workflow and not yet chained) without the chain's fields. */
export type StoredEvent = CaseEvent & Partial<ChainFields>;

/** The last chained event of a case, held on its item as `chain`. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** SHA-256 of the value's RFC 8785 canonical JSON, base64url (43 characters). */
export const digest = (value: unknown): string =>
  createHash('sha256')
    .update(canonicalize(value) ?? '')
    .digest('base64url');

/** The fields of a case item the chain records (its workflow's bookkeeping, tokens, links and fault flags are not the record). */
export const RECORDED_FIELDS = [
  'reference',
  'ownerId',
  'status',
  'late',
  'lateReasons',
  'receivedAt',
  'submission',
  'version',
  'triage',
  'informationRounds',
  'sscDecision',
  'sscDecisionAs',
  'deadline',
  'assessment',
  'withdrawal',
  'annualReview',
] as const satisfies ReadonlyArray<keyof CaseRecord>;

export const stateDigest = (record: Partial<CaseRecord>, salt?: string): string =>
  digest(sealRecord(Object.fromEntries(RECORDED_FIELDS.filter((field) => record[field] !== undefined).map((field) => [field, record[field]])), salt));

/** The digest of a case's item of its own (a question and its answer, a delivery problem): its content, without its keys and its alert flag. */
export const itemDigest = (item: Record<string, unknown>, salt?: string): string => {
  const { pk: _pk, sk, alerted: _alerted, ...content } = item;
  return digest(sealItem(String(sk), content, salt));
};

/** A short digest of an item's sort key (the address in it as its salted digest): the chain need not carry keys of some hundred bytes to know its items. */
export const itemKey = (sk: string, salt?: string): string => digest(sealKey(sk, salt)).slice(0, 16);

export const contentOf = (event: StoredEvent): Omit<StoredEvent, 'seq' | 'hash'> => {
  const { seq: _seq, hash: _hash, ...content } = event;
  return content;
};

export const eventHash = (reference: string, seq: number, prev: string, event: StoredEvent, salt?: string): string =>
  digest({ reference, seq, prev, event: sealEvent(contentOf(event), salt) });

/** The event as recorded, without the chain's fields (what the API shows). */
export const plainEvent = (event: StoredEvent): CaseEvent => {
  const {
    seq: _seq,
    hash: _hash,
    state: _state,
    before: _before,
    covers: _covers,
    caughtUp: _caughtUp,
    rebasedFrom: _rebasedFrom,
    verifiedAgainst: _verifiedAgainst,
    ...plain
  } = event;
  return plain;
};

export const isChained = (event: StoredEvent): event is CaseEvent & ChainFields => typeof event.hash === 'string';

const START: ChainHead = { seq: 0, hash: '' };

/**
 * The head of events written before the chain (by the release before it): hashed as if chained,
 * so the first chained event's `prev` covers every one of them.
 */
export const legacyHead = (reference: string, events: StoredEvent[], from: ChainHead = START, salt?: string): ChainHead =>
  events.reduce((head, event) => ({ seq: head.seq + 1, hash: eventHash(reference, head.seq + 1, head.hash, event, salt) }), from);

/**
 * The head an anchor records for a case: its chain's head carried on over the events the workflow
 * appended since (hashed as they will be chained), so the anchor holds them too; for a case stored
 * before the chain, the hash over all its events (`history` is every event, pages' first).
 */
export const anchorHead = (reference: string, history: StoredEvent[], head?: ChainHead, salt?: string): ChainHead =>
  head ? legacyHead(reference, history.slice(history.findLastIndex(isChained) + 1), head, salt) : legacyHead(reference, history, START, salt);

/** What a write appends: its own events, the state after it, and the items of its own it writes. */
export interface Append {
  events: CaseEvent[];
  /** The case item's recorded fields as they will be after the write. */
  stateAfter: Partial<CaseRecord>;
  /** The case item's recorded fields as the write read them (none for a case being created). */
  stateBefore?: Partial<CaseRecord>;
  covers?: ItemDigest[];
}

export interface AppendPlan {
  /** The case item's history after the write: `rewrite` it whole (pending events chained), or append `appended`. */
  history: StoredEvent[];
  appended: StoredEvent[];
  rewrite: boolean;
  head: ChainHead;
}

/**
 * Chains a write's events after the case's head. Events the workflow appended since (no hash,
 * after the head) are chained first, as they are (so a head anchored over them before still
 * holds), and the write's last event says how many it caught up; a case with no head yet (stored
 * by the release before the chain, `earlier` being its history pages' events) starts its chain
 * after all its events, hashed as legacy. The last event carries the state digest and the covers.
 */
export const planAppend = (
  reference: string,
  current: { history: StoredEvent[]; head?: ChainHead; earlier?: StoredEvent[]; salt?: string },
  append: Append,
): AppendPlan => {
  const { salt } = current;
  const pendingFrom = current.head ? current.history.findLastIndex(isChained) + 1 : current.history.length;
  const kept = current.history.slice(0, pendingFrom);
  const pending = current.history.slice(pendingFrom);
  let head = current.head ?? legacyHead(reference, [...(current.earlier ?? []), ...current.history], START, salt);
  const toChain: StoredEvent[] = [...pending, ...append.events];
  // Only where the previous write's state is the one this write should have found: after the
  // workflow's own writes (pending) the fields have moved on, and a case before the chain has none.
  const before = current.head && !pending.length && append.stateBefore ? stateDigest(append.stateBefore, salt) : undefined;
  const chained = toChain.map((event, i) => {
    const last = i === toChain.length - 1;
    const content: StoredEvent = {
      ...event,
      ...(last ? { state: stateDigest(append.stateAfter, salt) } : {}),
      ...(last && before ? { before } : {}),
      ...(last && append.covers?.length ? { covers: append.covers.map(({ sk, digest }) => ({ key: itemKey(sk, salt), digest })) } : {}),
      ...(last && pending.length ? { caughtUp: pending.length } : {}),
    };
    const seq = head.seq + 1;
    const hash = eventHash(reference, seq, head.hash, content, salt);
    head = { seq, hash };
    return { ...content, seq, hash };
  });
  const appended = chained.slice(pending.length);
  return { history: [...kept, ...chained], appended, rewrite: pending.length > 0, head };
};

const Head = z.strictObject({ seq: z.int().min(1), hash: z.string() });

/** A chain's verification, as the API and `npm run verify:history` report it. */
export const HistoryVerification = z
  .strictObject({
    reference: z.string(),
    ok: z.boolean().describe('True when nothing was found wrong (events and items still to be chained are not wrong)'),
    events: z.int().min(0).describe("How many events the case's history holds"),
    chainedFrom: z
      .int()
      .min(1)
      .optional()
      .describe("The first chained event: the events before it were stored before the chain (release v1.1.0) and are covered by this event's hash"),
    head: Head.optional().describe('The last chained event verified'),
    pending: z.int().min(0).describe("Events the workflow's own writes appended after the head, chained at the case's next write"),
    unchainedItems: z
      .array(z.string())
      .describe('Items of the case (questions and answers) stored before the chain, or just written by the workflow and not yet chained'),
    anchored: Head.extend({ at: z.string().describe('The anchor the head was compared with') })
      .optional()
      .describe('The head anchored outside the table, when an anchor includes the case'),
    broken: z
      .strictObject({
        seq: z.int().min(1).optional().describe('The first event found wrong'),
        type: z.string().optional().describe("That event's type"),
        item: z.string().optional().describe('The item of the case found wrong, when it is an item'),
        what: z.string().describe('What was found'),
      })
      .optional()
      .describe('The first thing found wrong, when ok is false'),
  })
  .describe("The verification of a case's tamper-evident history");
export type ChainReport = z.infer<typeof HistoryVerification>;
type ChainBreak = NonNullable<ChainReport['broken']>;

export interface ChainEvidence {
  reference: string;
  /** Every event in stored order: history pages', oldest first, then the case item's. */
  history: StoredEvent[];
  head?: ChainHead;
  record: Partial<CaseRecord>;
  /** The case's items of their own, digested as they are now. */
  items: ItemDigest[];
  /** The item the workflow may have just written, to be chained at the case's next write (the answer to the open question). */
  awaited?: string;
  anchor?: AnchoredHead;
  /** The case's salt (personal-data.ts), while it has one. */
  salt?: string;
}

/** Each event's hash: as stored where chained, as it would be chained elsewhere (before the chain, and the workflow's events after its head). */
const hashesOf = (reference: string, history: StoredEvent[], salt?: string): string[] => {
  let prev = '';
  return history.map((event, i) => {
    prev = isChained(event) ? event.hash : eventHash(reference, i + 1, prev, event, salt);
    return prev;
  });
};

/** An anchor of a case's head: which event, its hash, and when it was anchored. */
export type AnchoredHead = ChainHead & { at: string };

/**
 * Re-bases a chain hashed without a salt (a case stored by v1.1.0, chained by this release's
 * writes without one) on a new salt, so that its personal values can be erased to their salted
 * digests with the chain still verifying. Every chained event is hashed again under the salt in
 * its place, its content as recorded (`state`, `before` and `covers` stay the digests that were
 * verified when they were written); the events before the first chained one stay unchained, now
 * hashed with the salt; the workflow's events after the head are chained; and one event more
 * records the head the chain had (`rebasedFrom`), the anchor it was verified against, the state
 * after it and every item of the case as it is now (`covers`), all salted. The caller re-bases
 * only a chain that verified intact: the re-base re-attests what was verified.
 */
export const planRebase = (
  reference: string,
  current: { history: StoredEvent[]; head?: ChainHead },
  salt: string,
  rebase: { event: CaseEvent; record: Partial<CaseRecord>; items: Array<Record<string, unknown>>; anchor?: AnchoredHead },
): { history: StoredEvent[]; head: ChainHead } => {
  const { history } = current;
  // Without a head, every event is from before the chain: they stay so, and this event starts it.
  const firstChained = current.head ? history.findIndex(isChained) : history.length;
  const pending = current.head ? history.length - 1 - history.findLastIndex(isChained) : 0;
  const rebasedFrom = { seq: history.length, hash: hashesOf(reference, history).at(-1) ?? '' };
  let prev = '';
  const rehashed = history.map((event, i): StoredEvent => {
    const seq = i + 1;
    prev = eventHash(reference, seq, prev, event, salt);
    return i < firstChained ? event : { ...event, seq, hash: prev };
  });
  const itemCovers = rebase.items.map((item) => ({ key: itemKey(String(item.sk), salt), digest: itemDigest(item, salt) }));
  const content: StoredEvent = {
    ...rebase.event,
    rebasedFrom,
    ...(rebase.anchor ? { verifiedAgainst: rebase.anchor } : {}),
    state: stateDigest(rebase.record, salt),
    // As the chain recorded the state it found: unsalted, held to the last write's `state`.
    ...(current.head && !pending ? { before: stateDigest(rebase.record) } : {}),
    ...(itemCovers.length ? { covers: itemCovers } : {}),
    ...(pending ? { caughtUp: pending } : {}),
  };
  const seq = history.length + 1;
  const hash = eventHash(reference, seq, prev, content, salt);
  return { history: [...rehashed, { ...content, seq, hash }], head: { seq, hash } };
};

/**
 * The anchored head is in the history as anchored: a shorter history, or another hash there, is an
 * older or rewritten one. An anchor taken before the chain was re-based on a salt holds the
 * unsalted chain's hash, which no stored hash gives any more: the events before the re-base are
 * hashed again without the salt, as they were chained, and must give both the anchored hash and
 * the head the re-base says it replaced. A re-base forged over a rewritten history gives neither,
 * and one whose values were erased before an anchor held it cannot be checked, so the erasure
 * waits for that anchor (retention.ts).
 */
const anchorCheck = (reference: string, { anchor, history }: Pick<ChainEvidence, 'anchor' | 'history'>, hashes: string[]): ChainBreak | undefined => {
  if (!anchor) return undefined;
  const rebase = history.findLastIndex((event) => event.rebasedFrom !== undefined);
  if (rebase >= 0 && anchor.seq <= rebase) {
    let prev = '';
    const unsalted = history.slice(0, rebase).map((event, i) => {
      prev = eventHash(reference, i + 1, prev, event);
      return prev;
    });
    if (unsalted.at(-1) !== history[rebase]?.rebasedFrom?.hash)
      return {
        seq: rebase + 1,
        type: history[rebase]?.type,
        what: 'names a head the events before it do not hash to: a re-base forged, or their values erased before an anchor held it',
      };
    if (unsalted[anchor.seq - 1] !== anchor.hash)
      return {
        seq: anchor.seq,
        type: history[anchor.seq - 1]?.type,
        what: `differs from its hash anchored on ${anchor.at}, hashed as it was before the re-base at event ${rebase + 1}: the history before the re-base was rewritten`,
      };
    return undefined;
  }
  if (anchor.seq > hashes.length)
    return {
      seq: anchor.seq,
      what: `the history ends at event ${hashes.length} but event ${anchor.seq} was anchored on ${anchor.at}: events removed, or an older history put back`,
    };
  if (hashes[anchor.seq - 1] !== anchor.hash)
    return { seq: anchor.seq, type: history[anchor.seq - 1]?.type, what: `differs from its hash anchored on ${anchor.at}: the history up to it was rewritten` };
  return undefined;
};

/**
 * The head today's anchor records for a case (`history` every event, pages' first): its head as
 * it stands (anchorHead) while its history still holds the head the previous anchor recorded;
 * otherwise that earlier head again, with what broke it. An anchor never takes in a history
 * rewritten since the last one, so the verifier goes on naming the break however many days pass.
 */
export const nextAnchoredHead = (
  reference: string,
  history: StoredEvent[],
  head: ChainHead | undefined,
  salt: string | undefined,
  previous?: AnchoredHead,
): { head: ChainHead; broken?: ChainBreak } => {
  const broken = previous && anchorCheck(reference, { anchor: previous, history }, hashesOf(reference, history, salt));
  if (previous && broken) return { head: { seq: previous.seq, hash: previous.hash }, broken };
  return { head: anchorHead(reference, history, head, salt) };
};

/**
 * Checks a case's chain and names the first thing found wrong: an event whose content does not
 * match its hash (changed), an event out of its place (deleted, inserted or reordered), a gap in
 * the chain, a head that is not the last event, recorded fields or items that differ from their
 * digests, and a head older than the anchored one (an older history put back).
 */
export const verifyChain = (evidence: ChainEvidence): ChainReport => {
  const { reference, history, salt } = evidence;
  const firstChained = history.findIndex(isChained);
  const lastChained = history.findLastIndex(isChained);
  const base = {
    reference,
    events: history.length,
    pending: lastChained < 0 ? 0 : history.length - 1 - lastChained,
    unchainedItems: [] as string[],
    ...(firstChained >= 0 ? { chainedFrom: firstChained + 1 } : {}),
    ...(evidence.anchor ? { anchored: evidence.anchor } : {}),
  };
  const fail = (broken: ChainBreak, head?: ChainHead): ChainReport => ({ ...base, ...(head ? { head } : {}), ok: false, broken });
  if (firstChained < 0) {
    if (evidence.head) return fail({ seq: evidence.head.seq, what: `the case's head names event ${evidence.head.seq}, but no event carries a hash` });
    const anchorBreak = anchorCheck(reference, evidence, hashesOf(reference, history, evidence.salt));
    if (anchorBreak) return fail(anchorBreak);
    return { ...base, ok: true, unchainedItems: evidence.items.map((item) => item.sk) };
  }
  let head = legacyHead(reference, history.slice(0, firstChained), START, salt);
  const covers = new Map<string, { digest: string; seq: number }>();
  let lastState: { digest: string; seq: number } | undefined;
  for (let i = firstChained; i <= lastChained; i++) {
    const event = history[i] as StoredEvent;
    const seq = i + 1;
    const named = { seq, type: event.type };
    if (!isChained(event)) return fail({ ...named, what: 'carries no hash between chained events: inserted, or its hash removed' }, head);
    if (event.seq !== seq)
      return fail(
        {
          ...named,
          what:
            event.seq > seq
              ? `is stored as event ${event.seq} but found in place ${seq}: ${event.seq - seq === 1 ? 'an event' : `${event.seq - seq} events`} before it deleted, or events reordered`
              : `is stored as event ${event.seq} but found in place ${seq}: an event inserted before it, or events reordered`,
        },
        head,
      );
    if (eventHash(reference, seq, head.hash, event, salt) !== event.hash)
      return fail({ ...named, what: 'its content does not match its hash: changed after it was recorded' }, head);
    if (event.before !== undefined && lastState && event.before !== lastState.digest)
      return fail(
        {
          ...named,
          what: `the case item's recorded fields (status, decision, dates, withdrawal …) were changed after event ${lastState.seq}: this write found them differing from those chained with it`,
        },
        head,
      );
    if (event.rebasedFrom && event.rebasedFrom.seq !== seq - 1)
      return fail({ ...named, what: `re-based the chain from event ${event.rebasedFrom.seq}, not from the event before it: events removed or inserted` }, head);
    head = { seq, hash: event.hash };
    // A re-base attests every item afresh, under the salt: the covers before it were digested without one.
    if (event.rebasedFrom) covers.clear();
    for (const cover of event.covers ?? []) covers.set(cover.key, { digest: cover.digest, seq });
    if (event.state) lastState = { digest: event.state, seq };
  }
  if (!evidence.head) return fail({ seq: head.seq, what: 'the case item has no chain head' }, head);
  if (evidence.head.seq !== head.seq || evidence.head.hash !== head.hash)
    return fail(
      {
        seq: evidence.head.seq,
        what: `the case item's head (event ${evidence.head.seq}) is not its last chained event (${head.seq}): an older head put back, or events removed`,
      },
      head,
    );
  const anchorBreak = anchorCheck(reference, evidence, hashesOf(reference, history, evidence.salt));
  if (anchorBreak) return fail(anchorBreak, head);
  if (base.pending === 0 && lastState && stateDigest(evidence.record, salt) !== lastState.digest)
    return fail(
      {
        seq: lastState.seq,
        type: history[lastState.seq - 1]?.type,
        what: "the case item's recorded fields (status, decision, dates, withdrawal …) differ from those chained with this event: changed after it",
      },
      head,
    );
  for (const item of evidence.items) {
    const covered = covers.get(itemKey(item.sk, salt));
    if (!covered) {
      // A case stored before the chain has items no event covers; so has a case whose workflow has just written one.
      if (firstChained > 0 || base.pending > 0 || item.sk === evidence.awaited) {
        base.unchainedItems.push(item.sk);
        continue;
      }
      return fail({ item: item.sk, what: 'is in no chained event: inserted' }, head);
    }
    if (covered.digest !== item.digest)
      return fail(
        { seq: covered.seq, type: history[covered.seq - 1]?.type, item: item.sk, what: 'differs from its digest chained with this event: changed' },
        head,
      );
  }
  for (const [key, { seq }] of covers)
    if (!evidence.items.some((item) => itemKey(item.sk, salt) === key))
      return fail(
        { seq, type: history[seq - 1]?.type, what: 'an item chained with this event (a question and its answer, or a delivery problem) is missing: deleted' },
        head,
      );
  return { ...base, ok: true, head };
};
