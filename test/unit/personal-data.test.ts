import { describe, expect, it } from 'vitest';
import type { CaseEvent, CaseRecord } from '../../functions/domain/case';
import {
  type StoredEvent,
  anchorHead,
  eventHash,
  itemDigest,
  itemKey,
  planAppend,
  nextAnchoredHead,
  planRebase,
  stateDigest,
  verifyChain,
} from '../../functions/domain/history-chain';
import { eventTextClass, isErased, newSalt, personalDigest, sealEvent, sealItem, sealKey, sealRecord } from '../../functions/domain/personal-data';

const reference = 'SUS-AAAAA-2026-0001';
const salt = newSalt();
const otherSalt = newSalt();

const record = {
  reference,
  ownerId: 'client-a',
  status: 'Closed',
  submission: {
    contact: { name: 'Ada Lovelace', email: 'ada@example.org' },
    newUserSystem: { name: 'Portal', purpose: 'A second portal', securityArchitectureSummary: 'Two firewalls' },
  },
  sscDecision: { kind: 'Approve', advice: 'Go ahead', decidedAt: '2026-03-02T10:00:00.000Z', decisionId: 'd1', decidedBy: 'Grace Hopper' },
  sscDecisionAs: { decisionId: 'd1', memberId: 'm1aaaaaaaaaa', member: 'Grace Hopper', alternate: 'Alan Turing' },
  withdrawal: undefined,
} as unknown as Partial<CaseRecord>;

const confirmed: CaseEvent = {
  at: '2026-03-02T10:00:00.000Z',
  type: 'SscDecisionConfirmed',
  actor: { kind: 'SSC', id: 'decision link d1', name: 'Grace Hopper' },
  text: 'Go ahead',
};
const emailed: CaseEvent = {
  at: '2026-03-02T10:01:00.000Z',
  type: 'AcknowledgementSent',
  actor: { kind: 'System', id: 'SendCaseEmail' },
  text: 'To ada@example.org: Received',
};
const note: CaseEvent = {
  at: '2026-03-02T10:02:00.000Z',
  type: 'UserInformationDeadlineSet',
  actor: { kind: 'System', id: 'ManageDeadline' },
  text: 'Due by 2026-03-16',
};

/** Every personal value of a record, event or item replaced by what erasure stores: its salted digest. */
const erased = <T extends object>(value: T, seal: (v: T, s: string) => T): T => seal(value, salt);

describe('personal values in the chain: hashed as salted digests', () => {
  it('a salted digest is a fixed-length string that says it is one, and depends on the salt and the value', () => {
    const d = personalDigest('Ada Lovelace', salt);
    expect(isErased(d)).toBe(true);
    expect(d).toMatch(/^erased:[A-Za-z0-9_-]{43}$/);
    expect(personalDigest('Ada Lovelace', salt)).toBe(d);
    expect(personalDigest('Ada Lovelace', otherSalt)).not.toBe(d);
    expect(personalDigest('Ada Lovelace ', salt)).not.toBe(d);
    expect(isErased('Ada Lovelace')).toBe(false);
  });

  it('a record and the same record with its personal values erased hash the same; a wrong salt or a changed value does not', () => {
    const gone = erased(record, sealRecord);
    expect(gone.submission?.contact.email).toMatch(/^erased:/);
    expect(gone.sscDecision?.decidedBy).toMatch(/^erased:/);
    expect(gone.sscDecision?.kind).toBe('Approve');
    expect(gone.submission?.newUserSystem.name).toBe('Portal');
    // Whole values, each with a space, '@' or '.': a fragment such as 'Ada' turns up by chance in the salted digests' base64url.
    expect(JSON.stringify(gone)).not.toMatch(/Ada Lovelace|ada@|Grace Hopper|Alan Turing|Go ahead|Two firewalls/);
    expect(gone.sscDecisionAs?.memberId).toBe('m1aaaaaaaaaa');
    expect(stateDigest(gone, salt)).toBe(stateDigest(record, salt));
    // Once every class is erased the salt is destroyed: the erased record still hashes the same.
    expect(stateDigest(gone)).toBe(stateDigest(record, salt));
    expect(stateDigest(record, otherSalt)).not.toBe(stateDigest(record, salt));
    const changed = { ...record, submission: { ...record.submission, contact: { name: 'Ada King', email: 'ada@example.org' } } } as Partial<CaseRecord>;
    expect(stateDigest(changed, salt)).not.toBe(stateDigest(record, salt));
    // Erasing again changes nothing: a run cut short is finished by the next.
    expect(sealRecord(gone, salt)).toEqual(gone);
    // Erasure of one class leaves the others as they are, and the hash as it was.
    const contactOnly = sealRecord(record, salt, ['contact']);
    expect(contactOnly.sscDecision?.decidedBy).toBe('Grace Hopper');
    expect(stateDigest(contactOnly, salt)).toBe(stateDigest(record, salt));
  });

  it("an event's typed name and its text, by the text's class, hash the same erased; the system's notes stay as they are", () => {
    expect(eventTextClass(confirmed)).toBe('freeTexts');
    expect(eventTextClass(emailed)).toBe('emails');
    expect(eventTextClass(note)).toBeUndefined();
    expect(sealEvent(note, salt)).toEqual(note);
    for (const event of [confirmed, emailed]) {
      const gone = erased(event, sealEvent);
      expect(JSON.stringify(gone)).not.toMatch(/Grace Hopper|Go ahead|ada@/);
      expect(eventHash(reference, 4, 'prev', gone, salt)).toBe(eventHash(reference, 4, 'prev', event, salt));
      expect(eventHash(reference, 4, 'prev', gone)).toBe(eventHash(reference, 4, 'prev', event, salt));
      expect(eventHash(reference, 4, 'prev', event, otherSalt)).not.toBe(eventHash(reference, 4, 'prev', event, salt));
      expect(eventHash(reference, 4, 'prev', { ...event, text: `${event.text}.` }, salt)).not.toBe(eventHash(reference, 4, 'prev', event, salt));
    }
    // A typed name only: the decision's advice stays until the free texts go.
    expect(sealEvent(confirmed, salt, ['typedNames']).text).toBe('Go ahead');
  });

  it("an amendment's personal values, changed alone or inside an object, digest the same erased; its other fields stay", () => {
    const amendment = {
      pk: `CASE#${reference}`,
      sk: 'AMENDMENT#000002',
      version: 2,
      at: '2026-03-01T10:00:00.000Z',
      changes: [
        { field: '/contact/email', before: 'ada@example.org', after: 'ada.l@example.org' },
        { field: '/contact', before: { name: 'Ada Lovelace', email: 'ada@example.org' }, after: { name: 'Ada King', email: 'ada@example.org' } },
        { field: '/newUserSystem/purpose', after: 'A third portal' },
        { field: '/newUserSystem/name', before: 'Portal', after: 'Portal 2' },
      ],
    };
    const { pk: _pk, sk: _sk, ...content } = amendment;
    const gone = { ...amendment, ...sealItem(amendment.sk, content, salt) };
    expect(JSON.stringify(gone)).not.toMatch(/Ada Lovelace|Ada King|ada@|ada\.l@|A third portal/);
    expect(gone.changes[3]).toEqual(amendment.changes[3]);
    expect(gone.changes[2]).toEqual({ field: '/newUserSystem/purpose', after: expect.stringMatching(/^erased:/) });
    expect(itemDigest(gone)).toBe(itemDigest(amendment, salt));
    // One class at a time: the contact's values go, the free text stays.
    const contactOnly = sealItem(amendment.sk, content, salt, ['contact']);
    expect(JSON.stringify(contactOnly)).not.toMatch(/Ada Lovelace|Ada King|ada@|ada\.l@/);
    expect(JSON.stringify(contactOnly)).toContain('A third portal');
    expect(itemDigest({ ...amendment, changes: [{ field: '/contact/email', before: 'x@example.org', after: 'ada.l@example.org' }] }, salt)).not.toBe(
      itemDigest(amendment, salt),
    );
  });

  it('an item of the case, and a delivery problem key naming an address, digest the same erased', () => {
    const exchange = {
      pk: `CASE#${reference}`,
      sk: 'EXCHANGE#2026-03-02T10:00:00.000Z#d1',
      question: 'Which firewall?',
      askedAt: 'x',
      answer: 'Ours',
      answeredAt: 'y',
    };
    const goneExchange = { ...exchange, ...sealItem(exchange.sk, { question: exchange.question, answer: exchange.answer }, salt) };
    expect(goneExchange.question).toMatch(/^erased:/);
    expect(itemDigest(goneExchange)).toBe(itemDigest(exchange, salt));
    expect(itemDigest({ ...exchange, answer: 'Theirs' }, salt)).not.toBe(itemDigest(exchange, salt));
    const sk = 'DELIVERY#m-1#Bounced#ada@example.org';
    const gone = sealKey(sk, salt);
    expect(gone).toMatch(/^DELIVERY#m-1#Bounced#erased:/);
    expect(itemKey(gone)).toBe(itemKey(sk, salt));
    expect(itemKey(sk, otherSalt)).not.toBe(itemKey(sk, salt));
    expect(sealKey('EXCHANGE#a#b', salt)).toBe('EXCHANGE#a#b');
  });

  it('a chain written with a salt verifies before and after erasure, and a case without a salt chains as before', () => {
    const events: StoredEvent[] = [confirmed, emailed, note];
    const plan = planAppend(reference, { history: [], salt }, { events, stateAfter: record });
    expect(plan.history.map((e) => e.text)).toEqual(['Go ahead', 'To ada@example.org: Received', 'Due by 2026-03-16']);
    expect(verifyChain({ reference, history: plan.history, head: plan.head, record, items: [], salt })).toMatchObject({ ok: true });
    const goneHistory = plan.history.map((e) => sealEvent(e, salt));
    const goneRecord = sealRecord(record, salt);
    expect(verifyChain({ reference, history: goneHistory, head: plan.head, record: goneRecord, items: [] })).toMatchObject({ ok: true, head: plan.head });
    // Verified without the salt while a value is still there: the value is hashed as itself, and found changed.
    expect(verifyChain({ reference, history: plan.history, head: plan.head, record, items: [] })).toMatchObject({ ok: false, broken: { seq: 1 } });
    // Not erased but forged: another name in the erased form breaks the chain.
    const forged = goneHistory.map((e, i) => (i === 0 ? { ...e, actor: { ...e.actor, name: personalDigest('Someone else', salt) } } : e));
    expect(verifyChain({ reference, history: forged, head: plan.head, record: goneRecord, items: [] })).toMatchObject({
      ok: false,
      broken: { seq: 1, what: expect.stringContaining('changed') },
    });
    const unsalted = planAppend(reference, { history: [] }, { events, stateAfter: record });
    expect(unsalted.history[0]?.hash).toBe(eventHash(reference, 1, '', confirmed));
    expect(unsalted.head.hash).not.toBe(plan.head.hash);
  });
});

describe('re-basing a chain hashed without a salt (a case stored by v1.1.0), so that its personal data can be erased', () => {
  const rebase: CaseEvent = { at: '2028-04-03T02:00:00.000Z', type: 'HistoryChainRebased', actor: { kind: 'System', id: 'EraseExpiredPersonalData' } };
  const exchange = { pk: `CASE#${reference}`, sk: 'EXCHANGE#2026-03-02T10:00:00.000Z#d1', question: 'Who runs it?', answer: 'Ada Lovelace does' };
  // A delivery problem's key names the address: salted, its key in the chain is another.
  const bounce = {
    pk: `CASE#${reference}`,
    sk: 'DELIVERY#ses-1#Bounced#ada@example.org',
    recipient: 'ada@example.org',
    subject: 'Received',
    detail: 'No such user',
  };
  const items = (s?: string) => [exchange, bounce].map((item) => ({ sk: item.sk, digest: itemDigest(item, s) }));
  const eraseAll = (history: StoredEvent[]) => ({
    history: history.map((e) => sealEvent(e, salt)),
    record: sealRecord(record, salt),
    items: [exchange, bounce].map(({ pk, sk, ...content }) => ({
      sk: sealKey(sk, salt),
      digest: itemDigest({ pk, sk: sealKey(sk, salt), ...sealItem(sk, content, salt) }),
    })),
  });

  it('a case stored before the chain: its events stay as stored, the re-base starts the chain over them salted, and it verifies before and after erasure', () => {
    const legacy: StoredEvent[] = [confirmed, emailed, note];
    const anchored = { ...anchorHead(reference, legacy), at: '2028-04-02T23:00:00.000Z' };
    expect(verifyChain({ reference, history: legacy, record, items: items(), anchor: anchored })).toMatchObject({ ok: true });
    const plan = planRebase(reference, { history: legacy }, salt, { event: rebase, record, items: [exchange, bounce], anchor: anchored });
    expect(plan.history.slice(0, 3)).toEqual(legacy);
    expect(plan.history[3]).toMatchObject({
      seq: 4,
      rebasedFrom: { seq: 3, hash: anchored.hash },
      verifiedAgainst: anchored,
      state: stateDigest(record, salt),
    });
    expect(plan.history[3]?.covers).toEqual([exchange, bounce].map((item) => ({ key: itemKey(item.sk, salt), digest: itemDigest(item, salt) })));
    // The anchor taken before the re-base is held to the events before it, hashed as they were chained.
    const salted = { reference, history: plan.history, head: plan.head, record, items: items(salt), salt, anchor: anchored };
    expect(verifyChain(salted)).toMatchObject({ ok: true, chainedFrom: 4, head: plan.head });
    // Erased once an anchor holds the re-base (the erasure waits for it): the record verifies with no value left.
    const gone = eraseAll(plan.history);
    expect(JSON.stringify(gone)).not.toMatch(/Ada Lovelace|Grace Hopper|Alan Turing|Go ahead|Who runs it|example\.org/);
    const afterRebase = { ...plan.head, at: '2028-04-03T23:00:00.000Z' };
    expect(verifyChain({ ...salted, ...gone, salt: undefined, anchor: afterRebase })).toMatchObject({ ok: true, head: plan.head });
    // Erased before that anchor, the re-base can no longer be checked against the anchor before it: named.
    expect(verifyChain({ ...salted, ...gone, salt: undefined })).toMatchObject({
      ok: false,
      broken: { seq: 4, what: expect.stringContaining('names a head the events before it do not hash to') },
    });
    // An erased value forged, another head anchored before the re-base: each named.
    const forged = gone.history.map((e, i) => (i === 0 ? { ...e, text: personalDigest('Do not', salt) } : e));
    expect(verifyChain({ ...salted, ...gone, history: forged, anchor: afterRebase })).toMatchObject({
      ok: false,
      broken: { seq: 4, what: expect.stringContaining('changed') },
    });
    expect(verifyChain({ ...salted, anchor: { ...anchored, hash: eventHash(reference, 3, '', note) } })).toMatchObject({
      ok: false,
      broken: { seq: 3, what: expect.stringContaining('hashed as it was before the re-base at event 4') },
    });
    // Verified without the salt, the values are hashed as themselves: the re-based chain does not hold.
    expect(verifyChain({ ...salted, salt: undefined })).toMatchObject({ ok: false });
  });

  it("a case chained without a salt: every chained event hashed again in its place, the workflow's pending ones chained, the items attested afresh", () => {
    const unsalted = planAppend(reference, { history: [] }, { events: [confirmed, emailed], stateAfter: record, covers: items() });
    const stored: StoredEvent[] = [...unsalted.history, note];
    const current = { reference, history: stored, head: unsalted.head, record, items: items() };
    expect(verifyChain(current)).toMatchObject({ ok: true, pending: 1 });
    const anchored = { ...anchorHead(reference, stored, unsalted.head), at: '2028-04-02T23:00:00.000Z' };
    const plan = planRebase(reference, { history: stored, head: unsalted.head }, salt, { event: rebase, record, items: [exchange, bounce], anchor: anchored });
    expect(plan.history.map((e) => [e.seq, e.type, e.caughtUp])).toEqual([
      [1, 'SscDecisionConfirmed', undefined],
      [2, 'AcknowledgementSent', undefined],
      [3, 'UserInformationDeadlineSet', undefined],
      [4, 'HistoryChainRebased', 1],
    ]);
    // The same events, with the same recorded digests, hashed again under the salt.
    expect(plan.history[1]?.hash).not.toBe(stored[1]?.hash);
    expect(plan.history[1]?.state).toBe(stored[1]?.state);
    expect(plan.history[3]?.rebasedFrom).toEqual({ seq: 3, hash: anchored.hash });
    const salted = { ...current, history: plan.history, head: plan.head, items: items(salt), salt, anchor: anchored };
    expect(verifyChain(salted)).toMatchObject({ ok: true, pending: 0, head: plan.head });
    // Erased once an anchor holds the re-base.
    expect(verifyChain({ ...salted, ...eraseAll(plan.history), salt: undefined, anchor: { ...plan.head, at: '2028-04-03T23:00:00.000Z' } })).toMatchObject({
      ok: true,
    });
    // The covers before the re-base were digested unsalted and are superseded: an item changed since is named at the re-base.
    const changed = [{ sk: exchange.sk, digest: itemDigest({ ...exchange, answer: 'Someone else does' }, salt) }, ...items(salt).slice(1)];
    expect(verifyChain({ ...salted, items: changed })).toMatchObject({
      ok: false,
      broken: { seq: 4, item: exchange.sk, what: expect.stringContaining('changed') },
    });
    // A re-base that names another head than the event before it, its hash made again with the case's salt, is named.
    const misnamed: StoredEvent = { ...(plan.history[3] as StoredEvent), rebasedFrom: { seq: 2, hash: stored[1]?.hash as string } };
    misnamed.hash = eventHash(reference, 4, plan.history[2]?.hash as string, misnamed, salt);
    expect(verifyChain({ ...salted, history: [...plan.history.slice(0, 3), misnamed], head: { seq: 4, hash: misnamed.hash } })).toMatchObject({
      ok: false,
      broken: { seq: 4, what: expect.stringContaining('re-based the chain from event 2') },
    });
    // An event deleted and the whole chain re-based again by someone holding the salt: the anchor taken before names it.
    const rewritten = planRebase(reference, { history: stored.slice(0, 2), head: unsalted.head }, salt, { event: rebase, record, items: [exchange, bounce] });
    expect(verifyChain({ ...salted, history: rewritten.history, head: rewritten.head })).toMatchObject({
      ok: false,
      broken: { seq: 3, what: expect.stringContaining('anchored on 2028-04-02T23:00:00.000Z') },
    });
  });

  it('a re-base forged over a rewritten history, naming the head anchored, is named by that anchor; on a salted case too', () => {
    const unsalted = planAppend(reference, { history: [] }, { events: [confirmed, emailed, note], stateAfter: record });
    const anchored = { ...unsalted.head, at: '2028-04-02T23:00:00.000Z' };
    // The forger rewrites the decision's advice, chains the events again under a salt and appends a re-base naming the head it read.
    const rewritten = unsalted.history.map((e, i) => (i === 0 ? { ...e, text: 'Rejected: stop using it' } : e));
    const forgery = planRebase(reference, { history: rewritten, head: unsalted.head }, salt, { event: rebase, record, items: [] });
    const last = forgery.history.at(-1) as StoredEvent;
    const named: StoredEvent = { ...last, rebasedFrom: { seq: 3, hash: anchored.hash } };
    named.hash = eventHash(reference, 4, forgery.history[2]?.hash as string, named, salt);
    const history = [...forgery.history.slice(0, 3), named];
    const forged = { reference, history, head: { seq: 4, hash: named.hash }, record, items: [], salt, anchor: anchored };
    expect(verifyChain(forged)).toMatchObject({ ok: false, broken: { seq: 4, what: expect.stringContaining('a re-base forged') } });
    expect(nextAnchoredHead(reference, history, forged.head, salt, anchored)).toMatchObject({ head: { seq: 3, hash: anchored.hash }, broken: { seq: 4 } });
    // On a case chained with a salt from the start, a re-base event appended is named whatever it says.
    const saltedCase = planAppend(reference, { history: [], salt }, { events: [confirmed, emailed, note], stateAfter: record });
    const onSalted = { ...saltedCase.head, at: '2028-04-02T23:00:00.000Z' };
    const appended: StoredEvent = { ...rebase, rebasedFrom: { ...saltedCase.head }, state: stateDigest(record, salt) };
    appended.seq = 4;
    appended.hash = eventHash(reference, 4, saltedCase.head.hash, appended, salt);
    const withFake = [...saltedCase.history, appended];
    expect(verifyChain({ reference, history: withFake, head: { seq: 4, hash: appended.hash }, record, items: [], salt, anchor: onSalted })).toMatchObject({
      ok: false,
      broken: { seq: 4, what: expect.stringContaining('a re-base forged') },
    });
  });

  it("a chain with nothing pending: the re-base holds the fields it found, unsalted, to the last write's state", () => {
    const unsalted = planAppend(reference, { history: [] }, { events: [confirmed], stateAfter: record });
    const plan = planRebase(reference, { history: unsalted.history, head: unsalted.head }, salt, { event: rebase, record, items: [] });
    expect(plan.history[1]?.before).toBe(stateDigest(record));
    expect(plan.history[1]?.before).toBe(unsalted.history[0]?.state);
    expect(verifyChain({ reference, history: plan.history, head: plan.head, record, items: [], salt })).toMatchObject({ ok: true });
  });
});
