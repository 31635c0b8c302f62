import { describe, expect, it } from 'vitest';
import { NotificationCase, fileOf, toCaseView } from '../../functions/domain/case';
import { SesEmailEvent, caseWaitsOn, deliveryProblemsOf, needsSecas, papersDeliveryProblemsOf, papersMeetingOf } from '../../functions/domain/delivery';
import { undeliveredPapersEmail } from '../../functions/domain/emails';
import { caseRecord } from '../support/fixtures';

const m = { ssc: ['SSC@secas.example.org'], secas: ['secas@secas.example.org'] };
const c = caseRecord((b) => (b.contact.email = 'priya@northwold.example'));
const mail = (destination: string[]) => ({
  messageId: 'm-1',
  timestamp: '2026-11-24T10:00:00.000Z',
  destination,
  tags: { case: ['SUS-NF29F-2026-0042'], notice: ['SscDecisionRequest'] },
  commonHeaders: { subject: 'SSC decision needed' },
});

describe("SES's reports on a case's emails", () => {
  it('names each bounced recipient by role, case-insensitively, with what the server said', () => {
    const event = SesEmailEvent.parse({
      eventType: 'Bounce',
      mail: mail(['ssc@secas.example.org', 'priya@northwold.example']),
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        timestamp: '2026-11-24T10:00:05.000Z',
        bouncedRecipients: [
          { emailAddress: 'ssc@secas.example.org', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
          { emailAddress: 'PRIYA@northwold.example' },
        ],
      },
    });
    const problems = deliveryProblemsOf(event, c, m);
    expect(problems.map((p) => [p.recipientRole, p.kind, p.detail])).toEqual([
      ['SSC', 'Bounced', 'Permanent bounce (General): smtp; 550 5.1.1 user unknown'],
      ['User', 'Bounced', 'Permanent bounce (General)'],
    ]);
    expect(problems.every((p) => p.notice === 'SscDecisionRequest' && p.messageId === 'm-1' && p.at === '2026-11-24T10:00:05.000Z')).toBe(true);
    expect(problems.map(needsSecas)).toEqual([true, true]);
  });

  it('reads rejects, delays and complaints, and alerts SECAS only of notices to the User or the SSC that did not arrive', () => {
    const reject = deliveryProblemsOf(
      SesEmailEvent.parse({ eventType: 'Reject', mail: mail(['priya@northwold.example']), reject: { reason: 'Bad content' } }),
      c,
      m,
    );
    expect(reject[0]).toMatchObject({ kind: 'Rejected', recipientRole: 'User', detail: 'rejected by SES: Bad content' });
    const delay = deliveryProblemsOf(
      SesEmailEvent.parse({
        eventType: 'DeliveryDelay',
        mail: mail(['x@y.z']),
        deliveryDelay: { delayType: 'MailboxFull', timestamp: 't', delayedRecipients: [{ emailAddress: 'x@y.z' }] },
      }),
      c,
      m,
    );
    expect(delay[0]).toMatchObject({ kind: 'Delayed', recipientRole: 'Unknown', detail: 'delayed (MailboxFull)' });
    const secas = deliveryProblemsOf(
      SesEmailEvent.parse({
        eventType: 'Bounce',
        mail: mail(['secas@secas.example.org']),
        bounce: { bounceType: 'Permanent', bounceSubType: 'General', timestamp: 't', bouncedRecipients: [{ emailAddress: 'secas@secas.example.org' }] },
      }),
      c,
      m,
    );
    expect([reject[0], delay[0], secas[0]].map((p) => needsSecas(p as never))).toEqual([true, false, false]);
    expect(
      deliveryProblemsOf(
        SesEmailEvent.parse({
          eventType: 'Bounce',
          mail: mail(['a@b.c']),
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            timestamp: 't',
            bouncedRecipients: [{ emailAddress: 'a@b.c', diagnosticCode: 'x'.repeat(2000) }],
          },
        }),
        c,
        m,
      )[0]?.detail.length,
    ).toBe(300);
  });

  it("shows each problem on the API's case view with the fields the API declares: SES's message id stays with the case file", () => {
    const bounce = SesEmailEvent.parse({
      eventType: 'Bounce',
      mail: mail(['priya@northwold.example']),
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        timestamp: '2026-11-24T10:00:05.000Z',
        bouncedRecipients: [{ emailAddress: 'priya@northwold.example' }],
      },
    });
    const problems = deliveryProblemsOf(bounce, c, m);
    expect(problems[0]?.messageId).toBe('m-1');
    const view = NotificationCase.parse(toCaseView({ ...fileOf(c), deliveryProblems: problems }));
    expect(view.deliveryProblems).toEqual([
      {
        at: '2026-11-24T10:00:05.000Z',
        notice: 'SscDecisionRequest',
        subject: 'SSC decision needed',
        recipient: 'priya@northwold.example',
        recipientRole: 'User',
        kind: 'Bounced',
        detail: 'Permanent bounce (General)',
      },
    ]);
  });

  it('knows which notices a wait depends on', () => {
    expect(caseWaitsOn('SscDecisionRequest', { status: 'AwaitingSscDecision' })).toBe(true);
    expect(caseWaitsOn('SscDecisionRequest', { status: 'AwaitingUserInformation' })).toBe(false);
    expect(caseWaitsOn('InformationReminder', { status: 'AwaitingUserInformation' })).toBe(true);
    expect(caseWaitsOn('Acknowledgement', { status: 'AwaitingSscDecision' })).toBe(false);
  });
});

describe("SES's reports on an SSC meeting's papers", () => {
  it('know the meeting by its tag, name the SSC and SECAS by role, and tell SECAS only of the SSC', () => {
    expect(papersMeetingOf('MEETING-2027-01-13')).toBe('2027-01-13');
    for (const tag of ['SUS-NF29F-2026-0042', 'MEETING-2027-1-13', 'MEETING-2027-01-13x', 'xMEETING-2027-01-13', undefined])
      expect(papersMeetingOf(tag)).toBeUndefined();
    const event = SesEmailEvent.parse({
      eventType: 'Bounce',
      mail: { ...mail(['ssc@secas.example.org', 'secas@secas.example.org']), tags: { case: ['MEETING-2027-01-13'], notice: ['MeetingPapers'] } },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        timestamp: '2026-11-24T10:00:05.000Z',
        bouncedRecipients: [
          { emailAddress: 'ssc@secas.example.org' },
          { emailAddress: 'secas@secas.example.org' },
          { emailAddress: 'priya@northwold.example' },
        ],
      },
    });
    const problems = papersDeliveryProblemsOf(event, m);
    expect(problems.map((p) => [p.recipientRole, p.notice, needsSecas(p)])).toEqual([
      ['SSC', 'MeetingPapers', true],
      ['SECAS', 'MeetingPapers', false],
      ['Unknown', 'MeetingPapers', false],
    ]);
    const email = undeliveredPapersEmail('2027-01-13', problems[0] as (typeof problems)[0], m);
    expect(email).toMatchObject({ notice: 'UndeliveredPapers', to: m.secas, subject: '[UNDELIVERED] SSC meeting papers for 13 January 2027 to the SSC' });
    expect(email.text).toContain('did not reach ssc@secas.example.org');
  });
});
