import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case';
import { defaultDeadlineSettings, sscDecisionDeadline } from '../../functions/domain/deadlines';
import * as emails from '../../functions/domain/emails';
import { caseRecord } from '../support/fixtures';

const hostile = '<script>alert(1)</script> & "quotes"';
const escaped = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;';
const m = { ssc: ['ssc@secas.example.org'], secas: ['secas@secas.example.org'] };
const deadline = sscDecisionDeadline(new Date('2026-11-24T10:00:00Z'), { on: '2026-12-09', papersBy: '2026-12-02' }, defaultDeadlineSettings);
const links = {
  DeferToAnnualReview: 'https://api.example/decisions/abc?decision=defer-to-annual-review&expires=1&sig=k.x',
  AdHocAssessment: 'https://api.example/decisions/abc?decision=ad-hoc-assessment&expires=1&sig=k.y',
  MoreInformationNeeded: 'https://api.example/decisions/abc?decision=more-information&expires=1&sig=k.z',
};

const record = caseRecord;

/** Every template, rendered for a case whose every user-supplied text is hostile. */
const everyTemplate = (c: CaseRecord): Record<string, emails.EmailMessage> => ({
  acknowledgement: emails.acknowledgementEmail(c),
  informationRequest: emails.informationRequestEmail(c, hostile, deadline),
  informationReminder: emails.informationReminderEmail(c, deadline),
  deferralAdvice: emails.deferralAdviceEmail(c),
  adHocAdvice: emails.adHocAssessmentAdviceEmail(c),
  assessmentScheduled: emails.assessmentScheduledEmail(c),
  assessmentOutcome: emails.assessmentOutcomeEmail(c),
  sscDecisionRequest: emails.sscDecisionRequestEmail(c, hostileExchanges, m.ssc, links, deadline, '2027-01-23'),
  sscDecisionReminder: emails.sscDecisionReminderEmail(c, m.ssc, links, deadline),
  amendedAfterDecision: emails.amendedAfterDecisionEmail(
    c,
    [{ field: '/newUserSystem/plannedLiveOn', before: '2027-04-05', after: '2027-01-04' }],
    [hostile],
    m,
  ),
  withdrawal: emails.withdrawalEmail(c, m),
  lateNoticeToSecas: emails.lateNoticeToSecasEmail(c, m),
  escalation: emails.escalationEmail(c, m, deadline),
  assessmentRecordRequest: emails.assessmentRecordRequestEmail(
    c,
    m,
    { ...deadline, wait: 'AssessmentSchedule' },
    'https://api.example/assessments/abc?record=date&expires=1&sig=k.x',
  ),
  assessmentReminder: emails.assessmentReminderEmail(
    c,
    m,
    { ...deadline, wait: 'AssessmentOutcome' },
    'https://api.example/assessments/abc?record=outcome&expires=1&sig=k.x',
  ),
  assessmentFindingEscalation: emails.assessmentFindingEscalationEmail(c, m),
  annualReviewReminder: emails.annualReviewReminderEmail(c, m),
  overdueNotice: emails.overdueNoticeEmail(c, m),
  undeliveredNotice: emails.undeliveredNoticeEmail(
    c,
    {
      notice: 'InformationRequest',
      subject: hostile,
      recipient: c.submission.contact.email,
      recipientRole: 'User',
      kind: 'Bounced',
      detail: hostile,
      at: '2026-11-25T09:00:00.000Z',
    },
    true,
    m,
  ),
});

const hostileExchanges = [{ question: hostile, askedAt: '2026-11-25T09:00:00.000Z', answer: hostile, answeredAt: '2026-11-26T09:00:00.000Z' }];
/** A case stored before the API refused invisible formatting characters in names may hold them: set past the schema. */
const storedWithFormatting = (c: CaseRecord): CaseRecord => {
  c.submission.party.name += '\u202etxt.exe\u200b';
  c.submission.newUserSystem.name += '\u2066\ufeff\u00ad\u2060\u200f';
  return c;
};
const hostileCase = storedWithFormatting(
  record(
    (b) => {
      b.party.name = hostile;
      b.newUserSystem.name = `Portal\r\nBcc: victim@example.org ${hostile}`;
      b.newUserSystem.purpose = hostile;
    },
    {
      late: true,
      lateReasons: [hostile],
      sscDecision: { kind: 'AdHocAssessment', advice: hostile, decidedAt: '2026-11-25T09:00:00.000Z', decisionId: 'd', decidedBy: 'Priya Shah' },
      assessment: {
        targetBy: '2026-12-23',
        scheduledOn: '2027-01-11',
        outcome: {
          assuranceStatus: 'ApprovedSubjectTo',
          conditions: hostile,
          reportReference: hostile,
          completedOn: '2027-01-12',
          recordedAt: '2027-01-13T09:00:00.000Z',
        },
      },
      withdrawal: { at: '2026-11-25T09:00:00.000Z', reason: hostile },
    },
  ),
);

describe('email templates', () => {
  it.each(Object.entries(everyTemplate(hostileCase)))('%s: user text escaped in HTML, no script, nothing raw in the subject', (_, email) => {
    expect(email.html).not.toContain('<script>');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this pattern exists to find
    expect(email.subject).not.toMatch(/[\r\n\u0000]/);
    expect(email.subject).not.toMatch(/\p{Cf}/u);
    expect(email.to.length).toBeGreaterThan(0);
    expect(email.text.length).toBeGreaterThan(40);
    if (email.text.includes(hostile)) expect(email.html).toContain(escaped);
  });

  it('each say which notice they are, for the tags SES reports bounces by', () => {
    const notices = Object.values(everyTemplate(record())).map((e) => e.notice);
    expect(notices.every((n) => emails.Notice.includes(n))).toBe(true);
    expect(new Set(notices).size).toBe(notices.length - 1); // both advice emails are the notice Advice
  });

  it('each carry the case reference in the subject', () => {
    for (const email of Object.values(everyTemplate(record()))) expect(email.subject).toContain('SUS-NF29F-2026-0042');
  });

  it('give the SSC one link per decision, in text and HTML, with the recommendation and the due date', () => {
    const email = emails.sscDecisionRequestEmail(record(), [], m.ssc, links, deadline, '2027-01-23');
    for (const link of Object.values(links)) {
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
    }
    expect(email.text).toContain('Recommendation from the facts given: Require an ad-hoc User Security Assessment');
    expect(email.text).toContain(`decide by ${deadline.dueOn}`);
  });

  it('tell the SSC the User has answered, leaving the answer behind the link', () => {
    const exchanges = [{ question: 'Which CIO?', askedAt: '2026-11-25T09:00:00.000Z', answer: 'Acme CIO Ltd', answeredAt: '2026-11-26T09:00:00.000Z' }];
    const email = emails.sscDecisionRequestEmail(record(), exchanges, m.ssc, links, deadline, '2027-01-23');
    expect(email.text).toContain("The User has answered the SSC's question");
    expect(email.text).toContain("the User's answers and the rest of the notification are not sent by email");
    expect(email.text).not.toContain('Acme CIO Ltd');
  });

  it('summarise the case for the SSC: party, system, purpose, dates, late flag, recommendation, due date', () => {
    const c = record(() => {}, { late: true, lateReasons: ['The User reports the new User System is already in use.'] });
    const email = emails.sscDecisionRequestEmail(c, [], m.ssc, links, deadline, '2027-01-23');
    const s = c.submission;
    for (const row of [
      `SEC Party: ${s.party.name} (${s.party.category})`,
      `New User System: ${s.newUserSystem.name}`,
      `Purpose: ${s.newUserSystem.purpose}`,
      `Planned procurement: ${s.newUserSystem.plannedProcurementOn}`,
      `Planned live date: ${s.newUserSystem.plannedLiveOn}`,
      'Late notice: Yes: The User reports the new User System is already in use.',
      'Recommendation from the facts given: Require an ad-hoc User Security Assessment',
      `Decide by: ${deadline.dueOn}`,
    ])
      expect(email.text).toContain(row);
  });

  it('carry no security-architecture text, withheld details or answers in any message body', () => {
    const secret = (label: string) => `${label}-7f3a9c Ĳ 🔐`;
    const c = record(
      (b) => {
        b.newUserSystem.securityArchitectureSummary = secret('ARCHITECTURE');
        b.withheldDetails = secret('WITHHELD');
      },
      { late: true, lateReasons: ['late'] },
    );
    const exchanges = [{ question: 'Which CIO?', askedAt: '2026-11-25T09:00:00.000Z', answer: secret('ANSWER'), answeredAt: '2026-11-26T09:00:00.000Z' }];
    const rendered = { ...everyTemplate(c), sscDecisionRequest: emails.sscDecisionRequestEmail(c, exchanges, m.ssc, links, deadline, '2027-01-23') };
    expect(Object.keys(rendered)).toHaveLength(Object.keys(everyTemplate(record())).length);
    for (const [name, email] of Object.entries(rendered)) {
      for (const label of ['ARCHITECTURE', 'WITHHELD', 'ANSWER']) {
        expect(`${email.subject}\n${email.text}\n${email.html}`, `${name} carries ${label}`).not.toContain('7f3a9c');
      }
    }
  });

  it('flag a late notice to the SSC in the subject and body', () => {
    const c = record(() => {}, { late: true, lateReasons: ['The User reports the new User System is already in use.'] });
    const email = emails.sscDecisionRequestEmail(c, [], m.ssc, links, deadline, '2027-01-23');
    expect(email.subject).toMatch(/^\[LATE\] /);
    expect(email.text).toContain('already in use');
  });

  it('keep CR and LF out of subjects while keeping the words', () => {
    const { subject } = emails.acknowledgementEmail(record((b) => (b.newUserSystem.name = 'Portal\r\nBcc: victim@example.org')));
    expect(subject).toContain('Portal Bcc: victim@example.org');
    expect(emails.headerSafe('a\u2028b')).toBe('a b');
  });

  it('keep bidirectional overrides and other invisible formatting characters out of subjects, keeping the words', () => {
    const c = record();
    c.submission.newUserSystem.name = 'Portal \u202eexe.txt\u200b\u2067x\u2069\u00ad';
    const { subject } = emails.acknowledgementEmail(c);
    expect(subject).toContain('Portal exe.txtx');
    expect(subject).not.toMatch(/\p{Cf}/u);
    for (const c of [
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u200f',
      '\ufeff',
      '\u2060',
      '\u2064',
      '\u00ad',
    ])
      expect(emails.headerSafe(`a${c}b`)).toBe('ab');
  });

  it('send the advice to the User contact with the decision, its SEC basis and the SSC text', () => {
    const c = record(() => {}, {
      sscDecision: { kind: 'AdHocAssessment', advice: 'Line one\nLine two', decidedAt: '2026-11-25T09:00:00Z', decisionId: 'd', decidedBy: 'Priya Shah' },
      assessment: { targetBy: '2026-12-23' },
    });
    const email = emails.adHocAssessmentAdviceEmail(c);
    expect(email.to).toEqual([c.submission.contact.email]);
    expect(email.text).toContain('G8.13');
    expect(email.text).toContain('no later than 2026-12-23');
    expect(email.html).toContain('Line one<br>Line two');
  });

  it('escalate Deferred and Rejected assessments as a possible Event of Default', () => {
    const c = record(() => {}, {
      assessment: {
        outcome: { assuranceStatus: 'Rejected', conditions: '', reportReference: '', completedOn: '2027-01-12', recordedAt: '2027-01-13T09:00:00Z' },
      },
    });
    const email = emails.assessmentFindingEscalationEmail(c, m);
    expect(email.to).toEqual([...m.secas, ...m.ssc]);
    expect(email.text).toContain('Event of Default');
  });
});
