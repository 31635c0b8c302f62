import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { allocateReference, createCase, getCase } from '../../functions/adapters/cases-repository';
import type { CaseRecord } from '../../functions/domain/case';
import { defaultDeadlineSettings, startDeadline } from '../../functions/domain/deadlines';
import { NotificationSubmission } from '../../functions/domain/notification';
import { handler } from '../../functions/workflow/ask-user-for-information';
import { lambdaContext } from '../../infra/local/lambda-context';
import { uniqueNotification } from '../support/fixtures';
import { emailsTo, useSandbox } from '../support/sandbox';

/**
 * A waiting task whose email failed is retried by Step Functions with a new token: the
 * retry must still send the email (once), or the case waits on people who were never told.
 */
const ctx = useSandbox();

describe('a waiting task retried after its email failed', () => {
  it('sends the User the question on the retry, and only once', async () => {
    const now = new Date();
    const submission = NotificationSubmission.parse(uniqueNotification());
    const record: CaseRecord = {
      reference: await allocateReference(now, 'northwold-energy-client'),
      ownerId: 'northwold-energy-client',
      status: 'AwaitingUserInformation',
      late: false,
      lateReasons: [],
      receivedAt: now.toISOString(),
      submission,
      triage: { recommendation: 'AdHocAssessment', recommendationReasons: [] },
      historyPages: 0,
      informationRounds: 0,
      history: [],
      sscDecision: { kind: 'MoreInformationNeeded', advice: 'Which CIO assessed it?', decidedAt: now.toISOString(), decisionId: 'd', decidedBy: 'Priya Shah' },
      deadline: startDeadline('UserInformation', now, defaultDeadlineSettings),
    };
    await createCase(record);
    const invoke = (taskToken: string) => handler({ reference: record.reference, taskToken, now: now.toISOString() }, lambdaContext('AskUserForInformation'));

    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Throttling'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    await expect(invoke('token-1')).rejects.toMatchObject({ name: 'DependencyUnavailable' });
    ses.restore();

    await invoke('token-2');
    await invoke('token-3'); // a later re-entry (after a reminder) sends nothing new
    const questions = (await emailsTo(ctx.sandbox.sesUrl, submission.contact.email)).filter((e) => e.subject.includes('SSC question'));
    expect(questions).toHaveLength(1);
    expect(questions[0]?.body.text).toContain('Which CIO assessed it?');
    expect((await getCase(record.reference))?.pendingWait).toMatchObject({ taskToken: 'token-3', notified: true });
  });
});
