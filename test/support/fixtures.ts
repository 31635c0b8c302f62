import { randomBytes } from 'node:crypto';
import type { CaseRecord } from '../../functions/domain/case';
import { NotificationSubmission } from '../../functions/domain/notification';
import { londonDate } from '../../functions/domain/working-days';
import { sampleNotification } from '../../infra/local/sample-notification';

/** The sample notification, its dates as far from today as they were from the day it was written. */
export const fixture = (): Record<string, any> => sampleNotification(londonDate(new Date()));

/** A fixture notification with its own contact address, so its emails are found unambiguously. */
export const uniqueNotification = (overrides: (body: Record<string, any>) => void = () => {}) => {
  const body = fixture();
  body.contact.email = `user+${randomBytes(4).toString('hex')}@northwold-energy.example.co.uk`;
  overrides(body);
  return body;
};

/** A stored case for unit tests of what is rendered from it (emails, pages). */
export const caseRecord = (mutate: (b: any) => void = () => {}, extra: Partial<CaseRecord> = {}): CaseRecord => {
  const body = fixture();
  mutate(body);
  return {
    reference: 'SUS-NF29F-2026-0042',
    ownerId: 'northwold-energy-client',
    status: 'AwaitingSscDecision',
    late: false,
    lateReasons: [],
    receivedAt: '2026-11-24T10:00:00.000Z',
    submission: NotificationSubmission.parse(body),
    triage: { recommendation: 'AdHocAssessment', recommendationReasons: ['Never assessed.'] },
    historyPages: 0,
    informationRounds: 0,
    history: [],
    ...extra,
  };
};
