import { describe, expect, it } from 'vitest';
import { sharedResourceAlertEmail, sharedResourceOutcomeEmail } from '../../functions/domain/emails';
import { NotificationSubmission } from '../../functions/domain/notification';
import { Problem } from '../../functions/domain/problem';
import {
  RecordProviderAssessmentRequest,
  type SharedResourceProvider,
  checkAgainstRegister,
  latestAssessment,
  providerIdOf,
  recordAssessment,
  recordProvider,
} from '../../functions/domain/shared-resources';
import { defaultMeetingCalendar, nextMeeting } from '../../functions/domain/ssc-meetings';
import { triage } from '../../functions/domain/triage';
import { caseRecord, fixture } from '../support/fixtures';

// Filed on the day it is received; the sample names Harbour Shared Services plc and its assessment USA-SR-2025-019 of 2025-09-30.
const today = '2026-11-24';
const received = new Date(`${today}T10:00:00Z`);
const meeting = nextMeeting(defaultMeetingCalendar, today);
const submission = (mutate: (b: any) => void = () => {}) => {
  const body = fixture(today);
  mutate(body);
  return NotificationSubmission.parse(body);
};

const harbour = (...assessments: Array<Partial<RecordProviderAssessmentRequest>>): SharedResourceProvider => {
  let provider = recordProvider({ name: 'Harbour Shared Services plc', officer: 'Sam Okafor' }, 'secas-client', new Date('2025-01-06T09:00:00Z'));
  for (const [i, a] of assessments.entries()) {
    provider = recordAssessment(
      provider,
      { reference: 'USA-SR-2025-019', assessedOn: '2025-09-30', assuranceStatus: 'Approved', validUntil: '2026-09-29', officer: 'Sam Okafor', ...a },
      'secas-client',
      today,
      new Date(`2026-01-0${i + 1}T09:00:00Z`),
    );
  }
  return provider;
};

describe('triage against the register of Shared Resource assessments', () => {
  it('supports deferral when the register holds the named assessment, current and Approved', () => {
    const t = triage(submission(), received, meeting, { provider: harbour({ validUntil: '2027-09-29' }) });
    expect(t.recommendation).toBe('DeferToAnnualReview');
    expect(t.register).toMatchObject({ finding: 'CurrentApproved', flagged: false });
    expect(t.recommendationReasons.join(' ')).toContain('The register confirms Harbour Shared Services plc');
  });

  it('flags an unknown provider and points to an ad-hoc assessment', () => {
    const t = triage(submission(), received, meeting, { provider: undefined });
    expect(t.recommendation).toBe('AdHocAssessment');
    expect(t.register).toMatchObject({ finding: 'UnknownProvider', flagged: true });
    expect(t.recommendationReasons.join(' ')).toContain('no provider named Harbour Shared Services plc');
  });

  it('flags an expired assessment (past its valid-until date) and points to an ad-hoc assessment', () => {
    const t = triage(submission(), received, meeting, { provider: harbour({ validUntil: '2026-11-23' }) });
    expect(t.recommendation).toBe('AdHocAssessment');
    expect(t.register).toMatchObject({ finding: 'ExpiredAssessment', flagged: true });
    expect(t.register?.detail).toContain('expired on 2026-11-23');
    // Valid to the end of the day it names.
    expect(triage(submission(), received, meeting, { provider: harbour({ validUntil: today }) }).recommendation).toBe('DeferToAnnualReview');
  });

  it('flags a Rejected assessment, and an Approved one a later Rejected or Deferred outcome supersedes', () => {
    const rejected = triage(submission(), received, meeting, { provider: harbour({ assuranceStatus: 'Rejected', validUntil: '2027-09-29' }) });
    expect(rejected.recommendation).toBe('AdHocAssessment');
    expect(rejected.register).toMatchObject({ finding: 'Rejected', flagged: true });
    const superseded = triage(submission(), received, meeting, {
      provider: harbour(
        { validUntil: '2027-09-29' },
        { reference: 'USA-SR-2026-031', assessedOn: '2026-10-01', assuranceStatus: 'Deferred', validUntil: '2027-10-01' },
      ),
    });
    expect(superseded.recommendation).toBe('AdHocAssessment');
    expect(superseded.register).toMatchObject({ finding: 'Deferred', flagged: true });
    expect(superseded.register?.detail).toContain('USA-SR-2026-031');
  });

  it('flags an assessment reference the register does not hold for that provider, however the User cased it', () => {
    const other = triage(
      submission((b) => (b.newUserSystem.operator.priorAssessment.reference = 'USA-SR-2024-001')),
      received,
      meeting,
      {
        provider: harbour({ validUntil: '2027-09-29' }),
      },
    );
    expect(other.register).toMatchObject({ finding: 'UnknownAssessment', flagged: true });
    const cased = triage(
      submission((b) => (b.newUserSystem.operator.priorAssessment.reference = ' usa-sr-2025-019 ')),
      received,
      meeting,
      {
        provider: harbour({ validUntil: '2027-09-29' }),
      },
    );
    expect(cased.recommendation).toBe('DeferToAnnualReview');
  });

  it('leaves in-house systems, and triage without the register, as they were', () => {
    const inHouse = triage(
      submission((b) => (b.newUserSystem.operator = { kind: 'InHouse' })),
      received,
      meeting,
      { provider: undefined },
    );
    expect(inHouse.register).toBeUndefined();
    expect(triage(submission(), received, meeting).recommendation).toBe('DeferToAnnualReview');
  });
});

describe('the register of Shared Resource assessments', () => {
  it('keys a provider by its name however cased or spaced', () => {
    expect(providerIdOf('Harbour Shared Services plc')).toBe('harbour-shared-services-plc');
    expect(providerIdOf('  HARBOUR   shared-services PLC. ')).toBe('harbour-shared-services-plc');
  });

  it('refuses a malformed reference (422 by the schema), a duplicate, a future date and a valid-until not after it', () => {
    const request = { reference: 'USA-SR-2026-031', assessedOn: '2026-10-01', assuranceStatus: 'Approved', validUntil: '2027-10-01', officer: 'Sam Okafor' };
    for (const reference of ['usa-sr-2026', 'USA', 'USA SR 2026', 'USA--2026', '-USA-1', `USA-${'1'.repeat(20)}`])
      expect(RecordProviderAssessmentRequest.safeParse({ ...request, reference }).success, reference).toBe(false);
    expect(RecordProviderAssessmentRequest.safeParse(request).success).toBe(true);
    const refusal = (change: Partial<typeof request>) => {
      try {
        recordAssessment(harbour({}), { ...request, ...change } as never, 'secas-client', today, received);
      } catch (error) {
        return error as Problem;
      }
      throw new Error('not refused');
    };
    expect(refusal({ reference: 'USA-SR-2025-019' })).toMatchObject({ status: 422, errors: [{ pointer: '/reference' }] });
    expect(refusal({ assessedOn: '2026-11-25' })).toMatchObject({ status: 422, errors: [{ pointer: '/assessedOn' }] });
    expect(refusal({ validUntil: '2026-10-01' })).toMatchObject({ status: 422, errors: [{ pointer: '/validUntil' }] });
    expect(refusal({ reference: 'USA-SR-2025-019' })).toBeInstanceOf(Problem);
  });

  it('keeps every outcome with an audit entry naming the officer, and takes the latest as the standing', () => {
    const provider = harbour(
      {},
      { reference: 'USA-SR-2026-031', assessedOn: '2026-10-01', assuranceStatus: 'Rejected', validUntil: '2027-10-01', officer: 'Ada Lowe' },
    );
    expect(provider.assessments.map((a) => a.reference)).toEqual(['USA-SR-2025-019', 'USA-SR-2026-031']);
    expect(provider.audit.map((e) => [e.action, e.officer])).toEqual([
      ['provider-recorded', 'Sam Okafor'],
      ['assessment-recorded', 'Sam Okafor'],
      ['assessment-recorded', 'Ada Lowe'],
    ]);
    expect(provider.version).toBe(3);
    expect(latestAssessment(provider)?.reference).toBe('USA-SR-2026-031');
    expect(checkAgainstRegister('Harbour Shared Services plc', undefined, { provider }, today)).toMatchObject({ finding: 'NoAssessmentGiven', flagged: false });
  });
});

describe("the register's emails (SEC G10.8)", () => {
  const outcome = (assuranceStatus: 'Approved' | 'Rejected') => ({
    providerName: 'Harbour Shared Services plc',
    reference: 'USA-SR-2026-050',
    assessedOn: '2026-11-20',
    assuranceStatus,
    validUntil: '2027-11-19',
  });
  const mailboxes = { ssc: ['ssc@secas.example.org'], secas: ['secas@secas.example.org'] };

  it("tells the case's User the outcome, and that the SSC was told when it is not Approved", () => {
    const c = caseRecord();
    const rejected = sharedResourceOutcomeEmail(c, outcome('Rejected'));
    expect(rejected).toMatchObject({ notice: 'SharedResourceOutcome', to: [c.submission.contact.email] });
    expect(rejected.subject).toBe(`Shared Resource assessment Rejected: Harbour Shared Services plc (${c.reference})`);
    expect(rejected.text).toContain('Assurance status: Rejected');
    expect(rejected.text).toContain('the SSC and SECAS have been told');
    expect(sharedResourceOutcomeEmail(c, outcome('Approved')).text).not.toContain('have been told');
  });

  it('alerts SECAS and the SSC with the cases whose Users were told', () => {
    const cases = [caseRecord(), caseRecord(() => {}, { reference: 'SUS-NF29F-2026-0043', status: 'DeferredToAnnualReview' })];
    const alert = sharedResourceAlertEmail(outcome('Rejected'), cases, mailboxes);
    expect(alert).toMatchObject({ notice: 'SharedResourceAlert', to: ['secas@secas.example.org', 'ssc@secas.example.org'] });
    expect(alert.subject).toBe('[REJECTED] Shared Resource Provider Harbour Shared Services plc: 2 open cases employ it');
    expect(alert.text).toContain('SUS-NF29F-2026-0042');
    expect(alert.text).toContain('SUS-NF29F-2026-0043');
    expect(sharedResourceAlertEmail(outcome('Rejected'), [], mailboxes).text).toContain('No open or deferred case employs it.');
  });
});
