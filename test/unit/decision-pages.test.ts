import { describe, expect, it } from 'vitest';
import type { CaseStatus } from '../../functions/domain/case';
import { confirmationPage, decisionCorrections, decisionFormValues, movedOnReason, refusalPage } from '../../functions/domain/decision-pages';
import { caseRecord } from '../support/fixtures';

describe('a decision link whose case has moved on', () => {
  it.each<[CaseStatus, Parameters<typeof caseRecord>[1], RegExp]>([
    ['AwaitingUserInformation', {}, /asked the User a question.*fresh decision email/],
    ['AwaitingSscDecision', {}, /newer decision email/],
    ['SscDecisionOverdue', {}, /ended overdue/],
    ['UserInformationOverdue', {}, /did not answer .* ended overdue/],
    ['Withdrawn', { withdrawal: { at: '2026-12-01T10:00:00.000Z', reason: '' } }, /withdrew the notification on 1 December 2026/],
    ['AwaitingSscDecision', { withdrawal: { at: '2026-12-02T10:00:00.000Z', reason: '' } }, /withdrew the notification on 2 December 2026/],
    [
      'DeferredToAnnualReview',
      { sscDecision: { kind: 'DeferToAnnualReview', advice: '', decidedAt: '2026-12-03T10:00:00.000Z', decisionId: 'd', decidedBy: 'Priya Shah' } },
      /already decided this case on 3 December 2026: No further assessment/,
    ],
    [
      'Closed',
      { sscDecision: { kind: 'AdHocAssessment', advice: '', decidedAt: '2026-12-04T10:00:00.000Z', decisionId: 'd', decidedBy: 'Priya Shah' } },
      /already decided .* ad-hoc/,
    ],
  ])('when %s, says so', (status, extra, reason) => {
    const c = caseRecord(() => {}, { ...extra, status });
    expect(movedOnReason(c)).toMatch(reason);
    expect(refusalPage('moved-on', undefined, c)).toMatch(/Nothing has been changed/);
  });

  it('never claims a withdrawal, closure or timeout it cannot see', () => {
    expect(movedOnReason(undefined)).toBe('The case is no longer waiting for this decision.');
  });
});

const values = (v: Partial<Record<'decidedBy' | 'caseReference' | 'advice', string>> = {}) => ({
  decidedBy: 'Priya Shah',
  caseReference: REFERENCE,
  advice: '',
  ...v,
});
const REFERENCE = 'SUS-NF29F-2026-0042';
const pointers = (...args: Parameters<typeof decisionCorrections>) => decisionCorrections(...args).map((c) => c.pointer);

describe('the confirmation form', () => {
  it('takes a decision only with a name and the case reference typed', () => {
    expect(pointers('DeferToAnnualReview', REFERENCE, values())).toEqual([]);
    expect(pointers('DeferToAnnualReview', REFERENCE, values({ decidedBy: '', caseReference: '' }))).toEqual(['/decidedBy', '/caseReference']);
    expect(pointers('DeferToAnnualReview', REFERENCE, values({ decidedBy: '1234 !!' }))).toEqual(['/decidedBy']);
    expect(pointers('DeferToAnnualReview', REFERENCE, values({ decidedBy: 'Ł'.repeat(201) }))).toEqual(['/decidedBy']);
    expect(pointers('DeferToAnnualReview', REFERENCE, values({ decidedBy: 'Siân Ó Briain' }))).toEqual([]);
  });

  it("reads the reference as a person types it, and refuses another case's", () => {
    for (const typed of [REFERENCE, ' sus-nf29f-2026-0042 ', 'SUS–NF29F–2026–0042', 'ＳＵＳ-NF29F-2026-0042']) {
      expect(pointers('AdHocAssessment', REFERENCE, values({ caseReference: typed }))).toEqual([]);
    }
    for (const typed of ['SUS-NF29F-2026-0043', 'SUS-NF29F-2026-004', 'SUS-2026-0042', 'yes', 'SUS-NF29F-2026-0042x']) {
      expect(pointers('AdHocAssessment', REFERENCE, values({ caseReference: typed }))).toEqual(['/caseReference']);
    }
  });

  it('requires a question for more information and bounds the text', () => {
    expect(decisionCorrections('MoreInformationNeeded', REFERENCE, values())[0]?.detail).toMatch(/Write the question/);
    expect(pointers('MoreInformationNeeded', REFERENCE, values({ advice: 'Which CIO?' }))).toEqual([]);
    expect(decisionCorrections('AdHocAssessment', REFERENCE, values({ advice: 'é'.repeat(5001) }))[0]?.detail).toMatch(
      /at most 5000 characters \(Unicode code points\); it has 5001/,
    );
  });

  it('counts the advice and the name in characters (code points), as the API does: an emoji is one', () => {
    expect(pointers('AdHocAssessment', REFERENCE, values({ advice: '🦄'.repeat(5000) }))).toEqual([]);
    expect(decisionCorrections('AdHocAssessment', REFERENCE, values({ advice: '🦄'.repeat(5001) }))[0]?.detail).toMatch(/it has 5001\b/);
    expect(pointers('DeferToAnnualReview', REFERENCE, values({ decidedBy: `Priya ${'𝔖'.repeat(194)}` }))).toEqual([]);
    expect(pointers('DeferToAnnualReview', REFERENCE, values({ decidedBy: `Priya ${'𝔖'.repeat(195)}` }))).toEqual(['/decidedBy']);
  });

  it('drops the invisible formatting characters of a pasted name and reference, keeping the joiners', () => {
    expect(decisionFormValues({ decidedBy: 'Priya\u202e Shah\u200b\u00ad', caseReference: '', advice: '' }).decidedBy).toBe('Priya Shah');
    expect(decisionFormValues({ decidedBy: 'می\u200cخواهم', caseReference: '', advice: '' }).decidedBy).toBe('می\u200cخواهم');
    expect(pointers('AdHocAssessment', REFERENCE, values({ caseReference: `\ufeff${REFERENCE}\u200b` }))).toEqual([]);
  });

  it('reads names, references and advice from the posted form as the person meant them', () => {
    expect(decisionFormValues({ decidedBy: '  Priya\t\nShah\u0000 ', caseReference: 7, advice: 'a\r\nb' })).toEqual({
      decidedBy: 'Priya Shah',
      caseReference: '',
      advice: 'a\nb',
    });
  });
});

describe('the confirmation page', () => {
  const c = caseRecord((b) => {
    b.newUserSystem.securityArchitectureSummary = 'MARKER-ARCHITECTURE <b>bold</b>';
    b.withheldDetails = 'MARKER-WITHHELD';
  });
  const claims = { decisionId: 'd1', decision: 'DeferToAnnualReview' as const, expires: 1_900_000_000 };
  const exchanges = [{ question: 'MARKER-QUESTION', askedAt: '2026-11-25T09:00:00.000Z', answer: 'MARKER-ANSWER', answeredAt: '2026-11-26T09:00:00.000Z' }];
  const served = confirmationPage({ record: c, informationExchanges: exchanges }, claims, 'k.sig');

  it('shows the whole notification, its security detail and every question and answer, escaped', () => {
    for (const marker of ['MARKER-ARCHITECTURE &lt;b&gt;bold&lt;/b&gt;', 'MARKER-WITHHELD', 'MARKER-QUESTION', 'MARKER-ANSWER', c.submission.party.id])
      expect(served).toContain(marker);
  });

  it('is served with the name and the reference empty, no maxlength (a browser counts UTF-16 units there), and no script', () => {
    expect(served).toMatch(/<input type="text" id="decidedBy" name="decidedBy" value="" class="[^"]*" aria-describedby="decidedBy-hint" required/);
    expect(served).toMatch(/<input type="text" id="caseReference" name="caseReference" value="" class="[^"]*" aria-describedby="caseReference-hint" required/);
    expect(served).not.toMatch(/maxlength/i);
    expect(served).not.toMatch(/<script|\son[a-z]+=/i);
  });

  it('is shown again with what was typed and what to correct', () => {
    const again = confirmationPage(
      { record: c, informationExchanges: [] },
      claims,
      'k.sig',
      [{ pointer: '/caseReference', detail: 'That is not the reference of this case' }],
      values({ caseReference: 'SUS-"x' }),
    );
    expect(again).toContain('Not yet decided');
    expect(again).toContain('value="SUS-&quot;x"');
    expect(again).toContain('That is not the reference of this case');
  });
});
