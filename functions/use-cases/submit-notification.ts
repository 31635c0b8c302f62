import { deadlineSettings } from '../adapters/config';
import { allocateReference, createCase } from '../adapters/cases-repository';
import { startCaseWorkflow } from '../adapters/workflow-client';
import type { CaseRecord } from '../domain/case';
import { annualReviewReminderAt } from '../domain/deadlines';
import type { NotificationSubmission } from '../domain/notification';
import { triage } from '../domain/triage';

/** What the SscTriageWorkflow execution starts with. */
export interface WorkflowInput {
  reference: string;
  late: boolean;
  annualReview: { remindAt: string };
}

/**
 * Files a notification: triage, a reference, the case, then its workflow. The case is
 * written before the execution starts, so an execution never exists without its case.
 */
export const submitNotification = async (submission: NotificationSubmission, now: Date): Promise<CaseRecord> => {
  const settings = deadlineSettings();
  const { recommendation, recommendationReasons, late, lateReasons, decideBefore } = triage(submission, now, settings);
  const reference = await allocateReference(now);
  const receivedAt = now.toISOString();
  const record: CaseRecord = {
    reference,
    status: 'Received',
    late,
    lateReasons,
    receivedAt,
    submission,
    triage: { recommendation, recommendationReasons, ...(decideBefore ? { decideBefore } : {}) },
    informationExchanges: [],
    history: [{ at: receivedAt, type: late ? 'LateNotificationReceived' : 'NotificationReceived', actor: { kind: 'User', id: submission.contact.email } }],
  };
  await createCase(record);
  const input: WorkflowInput = {
    reference,
    late,
    annualReview: { remindAt: annualReviewReminderAt(submission.existingUserSystem.nextAnnualReviewOn, now, settings) },
  };
  await startCaseWorkflow(reference, input);
  return record;
};
