import { describe, expect, it } from 'vitest';
import type { AssessmentStage } from '../../functions/domain/assessment-link';
import { assessmentFormPage, assessmentRecordedPage, assessmentRefusalPage } from '../../functions/domain/assessment-pages';
import { dateInput, parseDateInput } from '../../functions/domain/date-input';
import { confirmationPage, decisionRecordedPage, refusalPage } from '../../functions/domain/decision-pages';
import { errorPage } from '../../functions/domain/error-pages';
import { Problem } from '../../functions/domain/problem';
import type { SscDecisionRecord } from '../../functions/domain/case';
import { casePage, casesPage } from '../../infra/local/console/pages';
import { type ReportCase, computeReport } from '../../functions/domain/service-report';
import { reportPage } from '../../functions/domain/service-report-formats';
import { caseRecord } from '../support/fixtures';
import { conventionBreaks } from '../support/page-conventions';

/**
 * Every page a person meets behind an emailed link, and SECAS's console, keeps the GOV.UK Design
 * System's conventions in its markup: a skip link and one <main>; on a failed submit "Error: " in
 * the title and an error summary first, linking to each field that is wrong, which is marked
 * aria-invalid and described by its error (and always by its hint); dates as three fields; dates,
 * decisions and statuses in words. axe-core checks the same pages rendered, in the browser tests.
 */
const decided: SscDecisionRecord = {
  kind: 'MoreInformationNeeded',
  advice: 'Which provider hosts it?',
  decidedAt: '2026-12-06T02:38:46.359Z',
  decisionId: 'd1',
  decidedBy: 'Priya Shah',
};
const c = caseRecord(() => {}, {
  triage: { recommendation: 'DeferToAnnualReview', recommendationReasons: ['Already passed User Security Assessment USA-1 on 2025-10-12.'] },
  deadline: {
    wait: 'SscDecision',
    startedAt: '2026-11-24T10:00:00.000Z',
    dueOn: '2026-12-10',
    escalationAt: '2026-12-11T09:00:00.000Z',
    hardLimitAt: '2027-01-12T09:00:00.000Z',
    meeting: { on: '2026-12-10', papersBy: '2026-12-03' },
  },
  late: true,
  lateReasons: ['The planned live date 2026-11-01 has passed.'],
});
const claims = { decisionId: 'd1', decision: 'AdHocAssessment' as const, expires: 1_900_000_000 };
const assessing = caseRecord(() => {}, {
  status: 'AwaitingAssessmentOutcome',
  assessment: { scheduledOn: '2026-11-20' },
  sscDecision: { ...decided, kind: 'AdHocAssessment' },
});
const assessmentClaims = (stage: AssessmentStage) => ({ recordId: 'r1', stage, expires: 1_900_000_000 });
const bounds = { min: '2026-11-20', max: '2026-11-24' };
const reportCase = (r: typeof c): ReportCase => ({ ...r, partyCategory: r.submission.party.category, exchanges: [] });

describe('the pages keep GOV.UK conventions', () => {
  const served: Array<[string, string]> = [
    ['the confirmation page', confirmationPage({ record: c, informationExchanges: [] }, claims, 'k.sig')],
    ['the result page', decisionRecordedPage(c, { ...decided, kind: 'AdHocAssessment', advice: '' })],
    ['the result page after a question', decisionRecordedPage(c, decided)],
    ...(['invalid', 'expired', 'already-decided', 'moved-on', 'no-more-questions'] as const).map((r): [string, string] => [
      `the ${r} refusal`,
      refusalPage(r, r === 'already-decided' ? decided : undefined, { ...c, status: 'Withdrawn', withdrawal: { at: '2026-12-01T10:00:00.000Z', reason: '' } }),
    ]),
    ...(['unsupported-media-type', 'invalid-encoding', 'payload-too-large', 'dependency-unavailable', 'internal'] as const).map((slug): [string, string] => [
      `the ${slug} page`,
      errorPage(new Problem(400, slug, 'x')),
    ]),
    ['the assessment date form', assessmentFormPage(assessing, assessmentClaims('AssessmentSchedule'), 'k.sig', bounds)],
    ['the assessment outcome form', assessmentFormPage(assessing, assessmentClaims('AssessmentOutcome'), 'k.sig', bounds)],
    ['the assessment date recorded', assessmentRecordedPage(assessing, 'AssessmentSchedule', { scheduledOn: '2026-12-08' }, 'Ada Lovelace')],
    [
      'the assessment outcome recorded',
      assessmentRecordedPage(assessing, 'AssessmentOutcome', { assuranceStatus: 'ApprovedSubjectTo', completedOn: '2026-12-08' }, 'Ada'),
    ],
    ...(['invalid', 'expired', 'already-recorded', 'moved-on'] as const).map((r): [string, string] => [
      `the assessment ${r} refusal`,
      assessmentRefusalPage(r, { usedBy: 'Ada', usedAt: '2026-12-06T10:15:00.000Z', caseRecord: assessing }),
    ]),
    [
      "the service report (GET /reports' page)",
      reportPage(computeReport({ from: '2026-10-01', to: '2026-12-31' }, [reportCase(c), reportCase(assessing)], new Date('2027-01-04T07:00:00Z'))),
    ],
  ];
  it.each(served)('%s', (_, page) => {
    expect(conventionBreaks(page)).toEqual([]);
    expect(Buffer.byteLength(page)).toBeLessThan(60_000);
  });

  it('the confirmation page shown again: "Error:" in the title, a summary linking to each field, the fields marked', () => {
    const again = confirmationPage({ record: c, informationExchanges: [] }, { ...claims, decision: 'MoreInformationNeeded' }, 'k.sig', [
      { pointer: '/decidedBy', detail: 'Give your name: it is recorded with the decision.' },
      { pointer: '/caseReference', detail: 'That is not the reference of this case: check it against the heading of this page.' },
      { pointer: '/advice', detail: 'Write the question the User should answer: it is emailed to them as written.' },
    ]);
    expect(conventionBreaks(again, { failed: true })).toEqual([]);
    expect(again).toMatch(/<title>Error: SUS-NF29F-2026-0042: /);
    expect([...again.matchAll(/<li><a href="#([a-zA-Z]+)">/g)].map((m) => m[1])).toEqual(['decidedBy', 'caseReference', 'advice']);
    // The checker fails a page that breaks the conventions: the same page without the prefix, the summary or the marks.
    expect(conventionBreaks(again.replace('<title>Error: ', '<title>'), { failed: true })).toContain('"Error: " before the title');
    expect(conventionBreaks(again.replace(/ aria-invalid="true"/, ''), { failed: true })).toContain('#decidedBy is marked aria-invalid');
    expect(conventionBreaks(again.replace('<main class="govuk-main-wrapper" id="main-content">', '<div>'), { failed: true })).toContain(
      'one <main id="main-content">',
    );
    expect(conventionBreaks(again.replace(' aria-describedby="advice-hint advice-error"', ''), { failed: true })).toContain(
      '#advice (or its fieldset) is described by its error',
    );
  });

  it('the assessment date form shown again names the part of the date that is wrong, and links to it', () => {
    const typed = dateInput({ 'scheduledOn-day': '12', 'scheduledOn-month': '', 'scheduledOn-year': '2026' }, 'scheduledOn');
    const parsed = parseDateInput(typed, '/scheduledOn', 'the date the assessment will take place');
    expect(parsed).toEqual({
      correction: { pointer: '/scheduledOn', detail: 'The date the assessment will take place must include a month', parts: ['month'] },
    });
    const again = assessmentFormPage(assessing, assessmentClaims('AssessmentSchedule'), 'k.sig', bounds, 'correction' in parsed ? [parsed.correction] : [], {
      scheduledOn: typed,
    });
    expect(conventionBreaks(again, { failed: true })).toEqual([]);
    expect(again).toContain('<li><a href="#scheduledOn-month">The date the assessment will take place must include a month</a></li>');
    // Only the month is marked; the day and year keep what was typed.
    expect(again.match(/class="[^"]*govuk-input--error/g)).toHaveLength(1);
    expect(again).toMatch(/id="scheduledOn-month" name="scheduledOn-month" value="" class="[^"]*govuk-input--error" inputmode="numeric" aria-invalid="true"/);
    expect(again).toMatch(/id="scheduledOn-day" name="scheduledOn-day" value="12" class="govuk-input govuk-date-input__input govuk-input--width-2" inputmode/);
  });

  it('the outcome form shown again marks the radios and the date', () => {
    const again = assessmentFormPage(
      assessing,
      assessmentClaims('AssessmentOutcome'),
      'k.sig',
      bounds,
      [
        { pointer: '/outcome/assuranceStatus', detail: 'Select the assurance status' },
        { pointer: '/outcome/completedOn', detail: 'Enter the date the assessment was completed', parts: ['day', 'month', 'year'] },
      ],
      {},
    );
    expect(conventionBreaks(again, { failed: true })).toEqual([]);
    expect([...again.matchAll(/<li><a href="#([a-zA-Z-]+)">/g)].map((m) => m[1])).toEqual(['assuranceStatus', 'completedOn-day']);
  });

  it("finds an API name between table cells, which the page's text run together would hide", () => {
    const page = errorPage(new Problem(400, 'internal', 'x')).replace(
      '</main>',
      '<table class="govuk-table"><tr><td>Status</td><td>MoreInformationNeeded</td><td>2026-12-06</td></tr></table></main>',
    );
    expect(conventionBreaks(page)).toEqual(['no ISO date in the text (found 2026-12-06)', 'no enum name in the text (found MoreInformationNeeded)']);
  });

  it('the console: list and case pages in words, the workflow box reachable by keyboard', () => {
    const decidedCase = { ...c, status: 'AwaitingAssessmentSchedule' as const, sscDecision: { ...decided, kind: 'AdHocAssessment' as const } };
    const list = casesPage([decidedCase], new Set(), 'http://localhost:8005');
    const one = casePage({
      file: {
        record: decidedCase,
        history: [{ seq: 1, at: '2026-11-24T10:00:00.000Z', type: 'SscDecisionTaken', actor: { kind: 'SSC', name: 'Priya Shah' }, text: 'Due by 2026-12-10' }],
        informationExchanges: [],
        deliveryProblems: [],
      } as never,
      diagram: 'flowchart TD',
      emails: [],
      sesUrl: 'http://localhost:8005',
    });
    for (const page of [list, one]) {
      const breaks = conventionBreaks(page);
      expect(breaks.filter((b) => !b.startsWith('no enum name'))).toEqual([]);
    }
    expect(list).toContain('Awaiting the assessment date');
    expect(one).toContain('Require an ad-hoc User Security Assessment, by Priya Shah at 6 December 2026, 02:38 GMT');
    expect(one).toContain('SSC decision taken');
    expect(one).toContain('Due by 10 December 2026');
    expect(one).toMatch(/<div class="app-graph" tabindex="0" role="region" aria-label="[^"]+">/);
  });
});
