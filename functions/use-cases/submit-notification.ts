import { config } from '../adapters/config';
import { allocateReference, createCase } from '../adapters/cases-repository';
import { startCaseWorkflow } from '../adapters/workflow-client';
import type { CaseRecord } from '../domain/case';
import { assessLateness, ukDate } from '../domain/lateness';
import type { NotificationSubmission } from '../domain/notification';

/** What the SscTriageWorkflow execution starts with. */
export interface WorkflowInput {
  reference: string;
  sscDecisionWait: { timeoutSeconds: number };
}

/**
 * Files a notification: a reference, the case, then its workflow. The case is written
 * before the execution starts, so an execution never exists without its case.
 */
export const submitNotification = async (submission: NotificationSubmission, now: Date): Promise<CaseRecord> => {
  const reference = await allocateReference(now);
  const receivedAt = now.toISOString();
  const record: CaseRecord = {
    reference,
    status: 'Received',
    ...assessLateness(submission, ukDate(now)),
    receivedAt,
    submission,
    history: [{ at: receivedAt, type: 'NotificationReceived', actor: { kind: 'User', id: submission.contact.email } }],
  };
  await createCase(record);
  const input: WorkflowInput = {
    reference,
    sscDecisionWait: { timeoutSeconds: config().SSC_DECISION_HARD_LIMIT_DAYS * 86_400 },
  };
  await startCaseWorkflow(reference, input);
  return record;
};
