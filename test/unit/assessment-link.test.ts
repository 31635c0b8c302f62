import { describe, expect, it } from 'vitest';
import { assessmentLinkQuery, verifyAssessmentLink } from '../../functions/domain/assessment-link';
import { decisionLinkQuery } from '../../functions/domain/decision-link';
import { type LinkKeyring, newLinkId } from '../../functions/domain/signed-link';

const keyring: LinkKeyring = { currentKeyId: 'k1', keys: { k1: 'a'.repeat(43) } };
const now = new Date('2026-11-24T12:00:00Z');
const expires = Math.floor(now.getTime() / 1000) + 3600;
const recordId = newLinkId();
const params = (stage: 'AssessmentSchedule' | 'AssessmentOutcome' = 'AssessmentSchedule') =>
  Object.fromEntries(new URLSearchParams(assessmentLinkQuery({ recordId, stage, expires }, keyring)));

describe('assessment links', () => {
  it('verify what they signed, for either stage', () => {
    expect(verifyAssessmentLink(recordId, params(), keyring, now)).toEqual({ ok: true, claims: { recordId, stage: 'AssessmentSchedule', expires } });
    expect(verifyAssessmentLink(recordId, params('AssessmentOutcome'), keyring, now)).toMatchObject({ ok: true, claims: { stage: 'AssessmentOutcome' } });
  });

  it('refuse another stage, a later expiry, another id, or an unknown stage', () => {
    expect(verifyAssessmentLink(recordId, { ...params(), record: 'outcome' }, keyring, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyAssessmentLink(recordId, { ...params(), expires: String(expires + 1) }, keyring, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyAssessmentLink(newLinkId(), params(), keyring, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyAssessmentLink(recordId, { ...params(), record: 'verdict' }, keyring, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expire', () => {
    expect(verifyAssessmentLink(recordId, params(), keyring, new Date(expires * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it("never take an SSC decision link's signature, though id and expiry are the same", () => {
    const ssc = Object.fromEntries(new URLSearchParams(decisionLinkQuery({ decisionId: recordId, decision: 'AdHocAssessment', expires }, keyring)));
    expect(verifyAssessmentLink(recordId, { record: 'date', expires: ssc.expires, sig: ssc.sig }, keyring, now)).toEqual({ ok: false, reason: 'forged' });
  });
});
