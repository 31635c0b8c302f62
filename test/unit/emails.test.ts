import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case';
import { acknowledgementEmail, adviceEmail, headerSafe, sscDecisionRequestEmail } from '../../functions/domain/emails';
import { NotificationSubmission } from '../../functions/domain/notification';
import { fixture } from '../support/fixtures';

const hostile = '<script>alert(1)</script> & "quotes"';
const record = (mutate: (b: any) => void = () => {}): CaseRecord => {
  const body = fixture();
  mutate(body);
  return {
    reference: 'SUS-2026-0042',
    status: 'AwaitingSscDecision',
    late: false,
    lateReasons: [],
    receivedAt: '2026-11-24T10:00:00.000Z',
    submission: NotificationSubmission.parse(body),
    history: [],
  };
};
const links = {
  DeferToAnnualReview: 'https://api.example/decisions/abc?decision=defer-to-annual-review&expires=1&sig=k.x',
  AdHocAssessment: 'https://api.example/decisions/abc?decision=ad-hoc-assessment&expires=1&sig=k.y',
  MoreInformationNeeded: 'https://api.example/decisions/abc?decision=more-information&expires=1&sig=k.z',
};

describe('email templates', () => {
  it('escape user-supplied text in HTML and keep it readable in plain text', () => {
    const c = record((b) => {
      b.newUserSystem.purpose = hostile;
      b.party.name = hostile;
    });
    for (const email of [acknowledgementEmail(c), sscDecisionRequestEmail(c, ['ssc@x.org'], links, '2027-01-01')]) {
      expect(email.html).not.toContain('<script>');
      expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
      expect(email.text).toContain(hostile);
    }
  });

  it('keep CR, LF and control characters out of subjects', () => {
    const c = record((b) => (b.newUserSystem.name = 'Portal\r\nBcc: victim@example.org\u0000'));
    const { subject } = acknowledgementEmail(c);
    expect(subject).not.toMatch(/[\r\n\u0000]/);
    expect(subject).toContain('Portal Bcc: victim@example.org');
    expect(headerSafe('a\u2028b')).toBe('a b');
  });

  it('give the SSC one link per decision, in text and HTML', () => {
    const email = sscDecisionRequestEmail(record(), ['ssc@x.org'], links, '2027-01-01');
    for (const link of Object.values(links)) {
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link.replaceAll('&', '&amp;')}"`);
    }
    expect(email.to).toEqual(['ssc@x.org']);
  });

  it('flag a late notice to the SSC in the subject and body', () => {
    const c = { ...record(), late: true, lateReasons: ['The User reports the new User System is already in use.'] };
    const email = sscDecisionRequestEmail(c, ['ssc@x.org'], links, '2027-01-01');
    expect(email.subject).toMatch(/^\[LATE\] /);
    expect(email.text).toContain('already in use');
    expect(email.html).toContain('Late notice');
  });

  it('send the advice to the User contact with the decision and the SSC text, escaped', () => {
    const c = record();
    const email = adviceEmail(c, { kind: 'AdHocAssessment', advice: `Line one\n${hostile}`, decidedAt: '2026-11-25T09:00:00Z', decisionId: 'd' });
    expect(email.to).toEqual([c.submission.contact.email]);
    expect(email.subject).toContain('ad-hoc User Security Assessment');
    expect(email.text).toContain('G8.13');
    expect(email.html).toContain('Line one<br>&lt;script&gt;');
  });
});
