import { randomBytes } from 'node:crypto';
import type { CaseRecord } from '../../functions/domain/case';
import { NotificationSubmission } from '../../functions/domain/notification';
import { londonDate } from '../../functions/domain/working-days';
import { SAMPLE_WRITTEN_ON, sampleNotification } from '../../infra/local/sample-notification';

/**
 * The sample notification as it would be filed on `today`: its dates as far from that day as they
 * were from the day it was written. Time is an input: a unit test names its day (the same day its
 * `now` is), never the wall clock's.
 */
export const fixture = (today: string): Record<string, any> => sampleNotification(today);

/**
 * The sample notification for a test against the sandbox, whose clock is the wall clock: the
 * day the sandbox will receive it, so both sides agree whatever the date (faketime included).
 */
export const fixtureForToday = (): Record<string, any> => fixture(londonDate(new Date()));

/** A notification for the sandbox with its own contact address, so its emails are found unambiguously. */
export const uniqueNotification = (overrides: (body: Record<string, any>) => void = () => {}) => {
  const body = fixtureForToday();
  body.contact.email = `user+${randomBytes(4).toString('hex')}@northwold-energy.example.co.uk`;
  overrides(body);
  return body;
};

/** A stored case for unit tests of what is rendered from it (emails, pages): received on the day the sample was written. */
export const caseRecord = (mutate: (b: any) => void = () => {}, extra: Partial<CaseRecord> = {}): CaseRecord => {
  const body = fixture(SAMPLE_WRITTEN_ON);
  mutate(body);
  return {
    reference: 'SUS-NF29F-2026-0042',
    ownerId: 'northwold-energy-client',
    status: 'AwaitingSscDecision',
    late: false,
    lateReasons: [],
    receivedAt: `${SAMPLE_WRITTEN_ON}T10:00:00.000Z`,
    submission: NotificationSubmission.parse(body),
    triage: { recommendation: 'AdHocAssessment', recommendationReasons: ['Never assessed.'] },
    historyPages: 0,
    informationRounds: 0,
    history: [],
    ...extra,
  };
};
