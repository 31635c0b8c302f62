import { describe, expect, it } from 'vitest';
import { type CaseFile, type SequencedEvent, inSequence } from '../../functions/domain/case';
import { CaseFileDocument, WITHHELD_FROM_USER, assembleCaseFile } from '../../functions/domain/case-file';
import { caseFilePage } from '../../functions/domain/case-file-page';
import type { ChainReport } from '../../functions/domain/history-chain';
import { caseRecord } from '../support/fixtures';
import { conventionBreaks } from '../support/page-conventions';

/**
 * The case file's assembly, pure: what SECAS reads, what a User reads of its own case (nothing
 * that WITHHELD_FROM_USER lists, anywhere in its JSON or its page), the order of every list, and
 * the verification stated at the top of the page.
 */
const NOW = new Date('2026-12-06T10:00:00.000Z');
const SSC_MEMBER = 'Margaret Hamilton';
const SECAS_OFFICER = 'Grace Hopper';
const SSC_ADDRESS = 'ssc-members@secas.example';
const SECAS_ADDRESS = 'secas-ops@secas.example';
const ASSESSMENT_LINK = 'assessment link 91bc';
const FAULT_NOTE = 'States.TaskFailed in RequestSscDecision';

const DECISION_LINK = 'decision-link-7f3a';
/** Verified, with the answer to the last question just written by the workflow (chained at the case's next write). */
const VERIFIED: ChainReport = {
  reference: 'SUS-NF29F-2026-0042',
  ok: true,
  events: 10,
  pending: 0,
  unchainedItems: [`EXCHANGE#2026-12-02T10:00:00.000Z#${DECISION_LINK}`],
  chainedFrom: 1,
  head: { seq: 10, hash: 'h10' },
};

const caseFile = (): CaseFile => {
  const record = caseRecord(() => {}, {
    // As triage writes them: dates as the API has them, which the page writes in words.
    triage: { recommendation: 'AdHocAssessment', recommendationReasons: ['Already passed USA-SR-2025-019 on 2025-09-30.'] },
    status: 'AssessmentOutcomeRecorded',
    sscDecision: {
      kind: 'AdHocAssessment',
      advice: 'Arrange an assessment.',
      decidedAt: '2026-12-03T10:00:00.000Z',
      decisionId: DECISION_LINK,
      decidedBy: SSC_MEMBER,
    },
    assessment: {
      scheduledOn: '2026-12-20',
      outcome: { assuranceStatus: 'ApprovedSubjectTo', conditions: 'Close finding 3.', completedOn: '2026-12-21', recordedAt: '2026-12-22T09:00:00.000Z' },
    },
  });
  const contact = record.submission.contact.email;
  const events: SequencedEvent[] = inSequence([
    { at: '2026-12-01T10:00:00.000Z', type: 'NotificationReceived', actor: { kind: 'User', id: record.ownerId } },
    {
      at: '2026-12-01T10:00:01.000Z',
      type: 'AcknowledgementSent',
      actor: { kind: 'System', id: 'SendCaseEmail' },
      text: `To ${contact}: Reminder: due 2026-12-10`,
    },
    { at: '2026-12-01T10:00:02.000Z', type: 'SscDecisionDeadlineSet', actor: { kind: 'System', id: 'ManageDeadline' }, text: 'Due by 2026-12-10' },
    {
      at: '2026-12-01T10:00:03.000Z',
      type: 'SscDecisionRequested',
      actor: { kind: 'System', id: 'RequestSscDecision' },
      text: `To ${SSC_ADDRESS}: SSC decision needed`,
    },
    { at: '2026-12-02T10:00:00.000Z', type: 'WorkflowFaulted', actor: { kind: 'System', id: 'AlertSecasOfWorkflowFault' }, text: FAULT_NOTE },
    { at: '2026-12-02T11:00:00.000Z', type: 'SscDecisionEscalatedToSecas', actor: { kind: 'System', id: 'ManageDeadline' }, text: `To ${SECAS_ADDRESS}` },
    {
      at: '2026-12-03T10:00:00.000Z',
      type: 'SscDecisionConfirmed',
      actor: { kind: 'SSC', id: DECISION_LINK, name: SSC_MEMBER },
      text: 'Arrange an assessment.',
    },
    { at: '2026-12-03T10:00:00.000Z', type: 'SscDecisionTaken', actor: { kind: 'SSC', id: DECISION_LINK, name: SSC_MEMBER }, text: 'AdHocAssessment' },
    {
      at: '2026-12-05T10:00:00.000Z',
      type: 'AssessmentScheduleRecorded',
      actor: { kind: 'SECAS', id: ASSESSMENT_LINK, name: SECAS_OFFICER },
      text: '2026-12-20',
    },
    {
      at: '2026-12-22T09:00:00.000Z',
      type: 'AssessmentOutcomeRecorded',
      actor: { kind: 'SECAS', id: ASSESSMENT_LINK, name: SECAS_OFFICER },
      text: 'ApprovedSubjectTo',
    },
  ]);
  const problem = (at: string, recipient: string, recipientRole: 'User' | 'SSC') => ({
    at,
    messageId: `m-${at}`,
    notice: 'SscDecisionRequest',
    subject: 'SSC decision needed',
    recipient,
    recipientRole,
    kind: 'Bounced' as const,
    detail: '550 mailbox unknown',
  });
  return {
    record,
    // Given out of order: the file orders them.
    history: [...events].reverse(),
    informationExchanges: [
      { question: 'Second question?', askedAt: '2026-12-02T10:00:00.000Z', answer: 'Second answer.', answeredAt: '2026-12-02T12:00:00.000Z' },
      { question: 'First question?', askedAt: '2026-12-01T12:00:00.000Z', answer: 'First answer.', answeredAt: '2026-12-01T15:00:00.000Z' },
    ],
    amendments: [],
    deliveryProblems: [problem('2026-12-01T10:05:00.000Z', SSC_ADDRESS, 'SSC'), problem('2026-12-01T10:01:00.000Z', contact, 'User')],
  };
};

/** Every value a User's file must not show, each planted in the case above. */
const WITHHELD_VALUES = [
  SSC_MEMBER,
  SECAS_OFFICER,
  SSC_ADDRESS,
  SECAS_ADDRESS,
  DECISION_LINK,
  ASSESSMENT_LINK,
  FAULT_NOTE,
  'RequestSscDecision',
  'ManageDeadline',
];

describe('the case file', () => {
  it("is SECAS's whole record, valid by its schema, every list in the order recorded", () => {
    const doc = assembleCaseFile(caseFile(), VERIFIED, 'SECAS', NOW);
    expect(CaseFileDocument.parse(doc)).toEqual(doc);
    expect(doc.history.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(doc.informationExchanges.map((x) => [x.round, x.question])).toEqual([
      [1, 'First question?'],
      [2, 'Second question?'],
    ]);
    expect(doc.deliveryProblems.map((p) => p.recipientRole)).toEqual(['User', 'SSC']);
    expect(doc.sscDecision?.decidedBy).toBe(SSC_MEMBER);
    expect(doc.emails.map((e) => [e.seq, e.to, e.toRole, e.subject])).toEqual([
      [2, [caseFile().record.submission.contact.email], undefined, 'Reminder: due 2026-12-10'],
      [4, [], 'SSC', undefined],
      [6, [SECAS_ADDRESS], undefined, undefined],
    ]);
    expect(doc.deadlineEvents.map((d) => [d.seq, d.wait, d.step])).toEqual([
      [3, 'SscDecision', 'DeadlineSet'],
      [6, 'SscDecision', 'EscalatedToSecas'],
    ]);
    expect(doc.withheld).toEqual([]);
    const text = JSON.stringify(doc);
    for (const value of WITHHELD_VALUES) expect(text).toContain(value);
  });

  it('gives a User its own case without any value it withholds, in its JSON or on its page, every event still in its place', () => {
    const doc = assembleCaseFile(caseFile(), VERIFIED, 'User', NOW);
    expect(CaseFileDocument.parse(doc)).toEqual(doc);
    expect(doc.audience).toBe('User');
    expect(doc.withheld).toEqual(Object.values(WITHHELD_FROM_USER));
    const json = JSON.stringify(doc);
    const page = caseFilePage(doc);
    for (const value of WITHHELD_VALUES) {
      expect(json).not.toContain(value);
      expect(page).not.toContain(value);
    }
    expect(doc.history.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(doc.sscDecision).toMatchObject({ kind: 'AdHocAssessment', advice: 'Arrange an assessment.' });
    expect(doc.sscDecision).not.toHaveProperty('decidedBy');
    // What is written for the User stays: the SSC's advice, its deadline, the assessment's date and outcome, its own emails.
    expect(doc.history.find((e) => e.type === 'SscDecisionConfirmed')).toMatchObject({ actor: { kind: 'SSC' }, text: 'Arrange an assessment.' });
    expect(doc.history.find((e) => e.type === 'SscDecisionTaken')).toMatchObject({ actor: { kind: 'SSC' }, text: 'AdHocAssessment' });
    expect(doc.history.find((e) => e.type === 'SscDecisionDeadlineSet')?.text).toBe('Due by 2026-12-10');
    expect(doc.history.find((e) => e.type === 'AssessmentOutcomeRecorded')).toEqual({
      seq: 10,
      at: '2026-12-22T09:00:00.000Z',
      type: 'AssessmentOutcomeRecorded',
      actor: { kind: 'SECAS' },
      text: 'ApprovedSubjectTo',
    });
    expect(doc.verification.unchainedItems).toEqual(['EXCHANGE#2026-12-02T10:00:00.000Z']);
    expect(doc.emails.map((e) => e.seq)).toEqual([2]);
    expect(doc.deliveryProblems.map((p) => p.recipientRole)).toEqual(['User']);
    expect(doc.deadlineEvents.map((d) => [d.step, d.text])).toEqual([
      ['DeadlineSet', 'Due by 2026-12-10'],
      ['EscalatedToSecas', undefined],
    ]);
    expect(page).toContain("This is the User's file of its own case");
  });

  it('is a GOV.UK page with the verification first, dates in words and a print style', () => {
    for (const audience of ['SECAS', 'User'] as const) {
      const page = caseFilePage(assembleCaseFile(caseFile(), VERIFIED, audience, NOW));
      expect(conventionBreaks(page)).toEqual([]);
      expect(page).toContain('@media print');
      const main = page.slice(page.indexOf('<main'));
      expect(main.indexOf('id="verification"')).toBeLessThan(main.indexOf('<h2 class="govuk-heading-m">The case</h2>'));
      expect(main).toContain('History verified');
      expect(main).toContain('6 December 2026');
      // The workflow records the decision and the outcome by their API names; the page, in words.
      expect(main).not.toMatch(/AdHocAssessment|ApprovedSubjectTo/);
    }
  });

  it('states a broken chain at the top, naming the event, its instants in words', () => {
    const broken: ChainReport = {
      ...VERIFIED,
      ok: false,
      broken: { seq: 8, type: 'SscDecisionTaken', what: 'differs from its hash anchored on 2026-12-04T00:00:00.000Z: the history up to it was rewritten' },
    };
    const page = caseFilePage(assembleCaseFile(caseFile(), broken, 'SECAS', NOW));
    expect(conventionBreaks(page)).toEqual([]);
    const warning = /<div class="govuk-warning-text" id="verification">(.*?)<\/div>/s.exec(page)?.[1] ?? '';
    expect(warning).toContain("This case's history does not verify");
    expect(warning).toContain('Event 8 (SSC decision taken): differs from its hash anchored on 4 December 2026, 00:00 GMT');
    expect(page).not.toContain('History verified');
  });
});
