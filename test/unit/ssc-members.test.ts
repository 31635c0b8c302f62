import { describe, expect, it } from 'vitest';
import { decisionOf, toCaseView, fileOf } from '../../functions/domain/case';
import { type LinkKeyring, decisionLinkQuery, verifyDecisionLink } from '../../functions/domain/decision-link';
import { confirmationPage, decisionCorrections, decisionRecordedPage, refusalPage, refusalStatus } from '../../functions/domain/decision-pages';
import { defaultDeadlineSettings, sscDecisionDeadline } from '../../functions/domain/deadlines';
import { deferralAdviceEmail, sscDecisionRequestEmail } from '../../functions/domain/emails';
import { paperCaseOf } from '../../functions/domain/meeting-papers';
import { Problem } from '../../functions/domain/problem';
import {
  AddMemberRequest,
  type SscMember,
  addMember,
  appointAlternate,
  decisionRecipients,
  decidedAsWords,
  removeAlternate,
  removeMember,
  standingOf,
  takenByWords,
} from '../../functions/domain/ssc-members';
import { caseRecord } from '../support/fixtures';

const now = new Date('2026-11-24T12:00:00Z');
const later = new Date('2026-11-25T09:30:00Z');
const officer = 'Sam Okafor';
const PRIYA = 'PriyaShah001';
const TOM = 'TomReidAlt01';
const ANNA = 'AnnaLeeAlt02';

const priya = (): SscMember => addMember([], { name: 'Priya Shah', email: 'priya@ssc.example.org', officer }, PRIYA, 'secas-client', now);
const withTom = (): SscMember => appointAlternate([priya()], priya(), { name: 'Tom Reid', email: 'tom@ssc.example.org', officer }, TOM, 'secas-client', later);

const fieldErrors = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    if (error instanceof Problem) return { status: error.status, errors: error.errors };
    throw error;
  }
  throw new Error('no problem thrown');
};

describe('the register of SSC members', () => {
  it('adds a member, audited with the officer and the calling client', () => {
    expect(priya()).toEqual({
      memberId: PRIYA,
      name: 'Priya Shah',
      email: 'priya@ssc.example.org',
      audit: [{ at: now.toISOString(), action: 'member-added', officer, by: 'secas-client' }],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    });
  });

  it("refuses an address a current member or Alternate holds (any case), naming the field; a former member's may be reused", () => {
    const current = [withTom()];
    expect(fieldErrors(() => addMember(current, { name: 'P. Shah', email: 'PRIYA@ssc.example.org', officer }, 'x'.repeat(12), 'c', now))).toMatchObject({
      errors: [{ pointer: '/email', detail: expect.stringContaining('member Priya Shah') }],
    });
    expect(fieldErrors(() => addMember(current, { name: 'Tom', email: 'tom@ssc.example.org', officer }, 'x'.repeat(12), 'c', now))).toMatchObject({
      errors: [{ pointer: '/email', detail: expect.stringContaining('Tom Reid, Alternate for Priya Shah') }],
    });
    expect(fieldErrors(() => appointAlternate(current, withTom(), { name: 'Me', email: 'priya@ssc.example.org', officer }, ANNA, 'c', now))).toMatchObject({
      errors: [{ pointer: '/email' }],
    });
    const gone = removeMember(withTom(), { officer }, 'c', later);
    expect(addMember([gone], { name: 'Priya Shah', email: 'priya@ssc.example.org', officer }, 'y'.repeat(12), 'c', later).memberId).toBe('y'.repeat(12));
  });

  it('appoints an Alternate (re-appointing the same address for the member is a replacement), removes it, removes the member; each change raises the version and is audited', () => {
    const tom = withTom();
    expect(tom.alternate).toEqual({ alternateId: TOM, name: 'Tom Reid', email: 'tom@ssc.example.org', appointedAt: later.toISOString() });
    expect(tom.version).toBe(2);
    const anna = appointAlternate([tom], tom, { name: 'Anna Lee', email: 'tom@ssc.example.org', officer }, ANNA, 'c', later);
    expect(anna.alternate?.alternateId).toBe(ANNA);
    const without = removeAlternate(anna, { officer: 'Jo Bell' }, 'c', later) as SscMember;
    expect(without.alternate).toBeUndefined();
    expect(without.audit.at(-1)).toEqual({
      at: later.toISOString(),
      action: 'alternate-removed',
      officer: 'Jo Bell',
      by: 'c',
      alternate: { alternateId: ANNA, name: 'Anna Lee' },
    });
    expect(removeAlternate(without, { officer }, 'c', later)).toBeUndefined();
    const removed = removeMember(tom, { officer }, 'c', later);
    expect(removed).toMatchObject({ removedAt: later.toISOString(), version: 3 });
    expect(removed.alternate).toBeUndefined();
    expect(removed.audit.map((a) => a.action)).toEqual(['member-added', 'alternate-appointed', 'member-removed']);
  });

  it('refuses hostile requests: unknown fields, no officer, an address that is not one, invisible formatting in a name', () => {
    expect(AddMemberRequest.safeParse({ name: 'Priya Shah', email: 'priya@ssc.example.org', officer, role: 'chair' }).success).toBe(false);
    expect(AddMemberRequest.safeParse({ name: 'Priya Shah', email: 'priya@ssc.example.org' }).success).toBe(false);
    expect(AddMemberRequest.safeParse({ name: 'Priya Shah', email: 'priya', officer }).success).toBe(false);
    expect(AddMemberRequest.safeParse({ name: 'Priya\u202e Shah', email: 'priya@ssc.example.org', officer }).success).toBe(false);
    expect(AddMemberRequest.safeParse({ name: 'Priya Shah', email: 'priya@ssc.example.org', officer }).success).toBe(true);
  });
});

describe('who decides', () => {
  it('emails each current member and Alternate, bound to that person; nobody who has left', () => {
    const gone = removeMember(addMember([], { name: 'Ann Gone', email: 'ann@ssc.example.org', officer }, 'AnnGone00001', 'c', now), { officer }, 'c', later);
    expect(decisionRecipients([withTom(), gone])).toEqual([
      { name: 'Priya Shah', email: 'priya@ssc.example.org', holder: { memberId: PRIYA } },
      { name: 'Tom Reid (Alternate for Priya Shah)', email: 'tom@ssc.example.org', holder: { memberId: PRIYA, alternateId: TOM } },
    ]);
    expect(decisionRecipients([gone])).toEqual([]);
  });

  it('stands while the holder is in the register: not once the member is removed, nor the Alternate removed or replaced', () => {
    const tom = withTom();
    expect(standingOf(tom, { memberId: PRIYA })).toEqual({ memberId: PRIYA, member: 'Priya Shah' });
    expect(standingOf(tom, { memberId: PRIYA, alternateId: TOM })).toEqual({ memberId: PRIYA, member: 'Priya Shah', alternate: 'Tom Reid' });
    expect(standingOf(priya(), { memberId: PRIYA, alternateId: TOM })).toBeUndefined();
    const anna = appointAlternate([tom], tom, { name: 'Anna Lee', email: 'anna@ssc.example.org', officer }, ANNA, 'c', later);
    expect(standingOf(anna, { memberId: PRIYA, alternateId: TOM })).toBeUndefined();
    expect(standingOf(removeMember(tom, { officer }, 'c', later), { memberId: PRIYA })).toBeUndefined();
    expect(standingOf(undefined, { memberId: PRIYA })).toBeUndefined();
    expect(standingOf(tom, { memberId: 'AnotherOne12' })).toBeUndefined();
  });

  it('says who decided: the member, the Alternate for the member, or the typed name of a mailbox decision', () => {
    expect(decidedAsWords({ memberId: PRIYA, member: 'Priya Shah', alternate: 'Tom Reid' })).toBe('Tom Reid as Alternate for Priya Shah');
    expect(takenByWords({ decidedBy: 'T. Reid', decidedAs: { memberId: PRIYA, member: 'Priya Shah' } })).toBe('Priya Shah');
    expect(takenByWords({ decidedBy: 'Siân Ó Briain' })).toBe('Siân Ó Briain');
  });
});

describe('links bound to a person', () => {
  const keyring: LinkKeyring = { currentKeyId: 'k1', keys: { k1: 'a'.repeat(43) } };
  const expires = Math.floor(now.getTime() / 1000) + 3600;
  const decisionId = 'D'.repeat(24);
  const holder = { memberId: PRIYA, alternateId: TOM };
  const claims = { decisionId, decision: 'DeferToAnnualReview' as const, expires, holder };
  const params = (): Record<string, string> => Object.fromEntries(new URLSearchParams(decisionLinkQuery(claims, keyring)));

  it('carry the member and the Alternate in the query, signed with the rest', () => {
    expect(Object.keys(params())).toEqual(['decision', 'expires', 'member', 'alternate', 'sig']);
    expect(verifyDecisionLink(decisionId, params(), keyring, now)).toEqual({ ok: true, claims });
  });

  it.each([
    ['another member', { member: 'SomeoneElse1' }],
    ['no Alternate (passed off as the member)', { alternate: undefined }],
    ['another Alternate', { alternate: ANNA }],
  ])('refuse a link altered to %s as forged', (_, change) => {
    const p: Record<string, string | undefined> = { ...params(), ...change };
    expect(verifyDecisionLink(decisionId, p, keyring, now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse a member or Alternate id that cannot be one, and an Alternate without a member, as malformed', () => {
    expect(verifyDecisionLink(decisionId, { ...params(), member: 'x' }, keyring, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDecisionLink(decisionId, { ...params(), member: undefined }, keyring, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDecisionLink(decisionId, { ...params(), alternate: '' }, keyring, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it("a mailbox link's signature does not pass for a member's, nor a member's without its member", () => {
    const unbound = Object.fromEntries(new URLSearchParams(decisionLinkQuery({ ...claims, holder: undefined } as never, keyring)));
    expect(verifyDecisionLink(decisionId, { ...unbound, member: PRIYA }, keyring, now)).toEqual({ ok: false, reason: 'forged' });
    const { member: _m, alternate: _a, ...stripped } = params();
    expect(verifyDecisionLink(decisionId, stripped, keyring, now)).toEqual({ ok: false, reason: 'forged' });
  });
});

describe('the decision pages and records', () => {
  const REFERENCE = 'SUS-NF29F-2026-0042';
  const values = (decidedBy: string) => ({ decidedBy, caseReference: REFERENCE, advice: '' });

  it('refuse a typed name that is the case reference (however typed) or has digits in it', () => {
    for (const name of [REFERENCE, 'sus-nf29f-2026-0042', 'SUS‐NF29F‐2026‐0042', 'Priya Shah 2', 'SSC member 7'])
      expect(
        decisionCorrections('DeferToAnnualReview', REFERENCE, values(name)).map((c) => c.pointer),
        name,
      ).toEqual(['/decidedBy']);
    expect(decisionCorrections('DeferToAnnualReview', REFERENCE, values('Tom Reid')).map((c) => c.pointer)).toEqual([]);
  });

  it('the confirmation page says whose link it is and carries the holder in the form', () => {
    const c = caseRecord();
    const claims = { decisionId: 'D'.repeat(24), decision: 'DeferToAnnualReview' as const, expires: 1, holder: { memberId: PRIYA, alternateId: TOM } };
    const page = confirmationPage(
      { record: c, informationExchanges: [] },
      claims,
      'k1.sig',
      [],
      {},
      { memberId: PRIYA, member: 'Priya Shah', alternate: 'Tom Reid' },
    );
    expect(page).toContain('<strong>Tom Reid</strong>, Alternate for <strong>Priya Shah</strong>');
    expect(page).toContain(`<input type="hidden" name="member" value="${PRIYA}">`);
    expect(page).toContain(`<input type="hidden" name="alternate" value="${TOM}">`);
    const mailbox = confirmationPage({ record: c, informationExchanges: [] }, { ...claims, holder: undefined } as never, 'k1.sig');
    expect(mailbox).not.toContain('name="member"');
    expect(mailbox).not.toContain('Alternate');
  });

  it("a departed person's link gets its own page, changing nothing", () => {
    expect(refusalStatus('left-register')).toBe(403);
    expect(refusalPage('left-register')).toMatch(/no longer in the SSC&#39;s register|no longer in the SSC's register/);
    expect(refusalPage('left-register')).toContain('Nothing has been changed');
  });

  it('the recorded page, the case view and the advice email say who took it; a decision without a member reads as before', () => {
    const decidedAs = { memberId: PRIYA, member: 'Priya Shah', alternate: 'Tom Reid' };
    const sscDecision = { kind: 'DeferToAnnualReview' as const, advice: '', decidedAt: later.toISOString(), decisionId: 'd2', decidedBy: 'Tom Reid' };
    expect(decisionRecordedPage(caseRecord(), { ...sscDecision, decidedAs })).toContain(
      'as taken by Tom Reid as Alternate for Priya Shah (confirmed as Tom Reid)',
    );
    const attributed = caseRecord(() => {}, { status: 'DeferredToAnnualReview', sscDecision, sscDecisionAs: { ...decidedAs, decisionId: 'd2' } });
    expect(decisionOf(attributed)).toEqual({ ...sscDecision, decidedAs });
    expect(toCaseView(fileOf(attributed)).sscDecision).toEqual({ ...sscDecision, decidedAs });
    expect(deferralAdviceEmail(attributed).text).toContain('Taken for the SSC by Tom Reid as Alternate for Priya Shah.');
    // An earlier round's attribution is not this decision's.
    const earlier = caseRecord(() => {}, { status: 'DeferredToAnnualReview', sscDecision, sscDecisionAs: { ...decidedAs, decisionId: 'd1' } });
    expect(decisionOf(earlier)).toEqual(sscDecision);
    expect(deferralAdviceEmail(earlier).text).not.toContain('Taken for the SSC');
    const older = caseRecord(() => {}, { status: 'DeferredToAnnualReview', sscDecision });
    expect(toCaseView(fileOf(older)).sscDecision).toEqual(sscDecision);
    // The meeting papers name who took it, from the same join.
    expect(paperCaseOf(attributed).decision).toEqual({ kind: 'DeferToAnnualReview', decidedAt: later.toISOString(), decidedBy: 'Tom Reid', decidedAs });
    expect(takenByWords(paperCaseOf(attributed).decision as never)).toBe('Tom Reid as Alternate for Priya Shah');
    expect(paperCaseOf(earlier).decision).toEqual({ kind: 'DeferToAnnualReview', decidedAt: later.toISOString(), decidedBy: 'Tom Reid' });
  });

  it("a person's decision email says the links are theirs; the mailbox's does not", () => {
    const deadline = sscDecisionDeadline(now, { on: '2026-12-09', papersBy: '2026-12-02' }, defaultDeadlineSettings);
    const links = { DeferToAnnualReview: 'https://api.example/decisions/abc?decision=defer-to-annual-review' };
    const c = caseRecord();
    const personal = sscDecisionRequestEmail(c, [], ['tom@ssc.example.org'], links, deadline, '2027-01-23', 'Tom Reid (Alternate for Priya Shah)');
    expect(personal.to).toEqual(['tom@ssc.example.org']);
    expect(personal.text).toContain('These links are yours, Tom Reid (Alternate for Priya Shah)');
    expect(sscDecisionRequestEmail(c, [], ['ssc@secas.example.org'], links, deadline, '2027-01-23').text).not.toContain('These links are yours');
  });
});
