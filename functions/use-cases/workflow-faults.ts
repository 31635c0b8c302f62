import { mailboxes } from '../adapters/config';
import { getCase, markWorkflowFaultAlerted, recordWorkflowFault, recordWorkflowRedrive } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { businessMetric, logger } from '../adapters/powertools';
import { lastEnteredState } from '../adapters/workflow-client';
import { type WorkflowFault, workflowFaultEmail } from '../domain/emails';
import { isReference } from '../domain/reference';

/**
 * A case's workflow execution stopped on a fault (its retries exhausted, a task crashed, it timed
 * out or was aborted): the case records it and SECAS is emailed how to recover it. The failing
 * state fails the execution itself rather than being caught, so that a redrive resumes exactly
 * there, with every earlier step kept; a catch-all would end in a Fail state a redrive cannot get
 * past. Safe to run again for the same stop: the record is written once and SECAS told once.
 */
export const alertSecasOfWorkflowFault = async (execution: {
  executionArn: string;
  name: string;
  status: string;
  stopDate?: number | null;
  error?: string | null;
  cause?: string | null;
}): Promise<'alerted' | 'already-alerted'> => {
  const reference = execution.name;
  if (isReference(reference)) logger.appendKeys({ reference });
  const fault: WorkflowFault = {
    status: execution.status,
    error: execution.error ?? '',
    cause: execution.cause ?? '',
    executionArn: execution.executionArn,
    at: new Date(execution.stopDate ?? Date.now()).toISOString(),
  };
  const state = await lastEnteredState(execution.executionArn);
  if (state) fault.state = state;
  const outcome = isReference(reference)
    ? await recordWorkflowFault(
        reference,
        { at: fault.at, status: fault.status, ...(state ? { state } : {}), error: fault.error },
        {
          at: fault.at,
          type: 'WorkflowFaulted',
          actor: { kind: 'System', id: 'AlertSecasOfWorkflowFault' },
          text: `The workflow stopped (${fault.status}${state ? ` in ${state}` : ''}${fault.error ? `: ${fault.error}` : ''}); SECAS has been alerted.`,
        },
      )
    : 'no-case';
  if (outcome === 'already-alerted') return outcome;
  logger.error('a case workflow stopped on a fault', { ...fault });
  businessMetric('WorkflowFaults', { Status: fault.status });
  const record = outcome === 'recorded' ? await getCase(reference) : undefined;
  await sendEmail(workflowFaultEmail(reference, record, fault, mailboxes()), reference);
  if (outcome === 'recorded') await markWorkflowFaultAlerted(reference, fault.at);
  return 'alerted';
};

/**
 * A stopped execution was redriven (by SECAS, after fixing the cause): the case records it, once
 * per redrive, so that its history tells the whole story — the fault, then the recovery.
 */
export const recordRedrive = async (execution: {
  name: string;
  redriveCount: number;
  redriveDate?: number | null;
}): Promise<'recorded' | 'already-recorded' | 'no-case'> => {
  const reference = execution.name;
  if (!isReference(reference)) return 'no-case';
  logger.appendKeys({ reference });
  const at = new Date(execution.redriveDate ?? Date.now()).toISOString();
  const outcome = await recordWorkflowRedrive(reference, execution.redriveCount, {
    at,
    type: 'WorkflowRedriven',
    actor: { kind: 'System', id: 'RecordWorkflowRedrive' },
    text: `The stopped workflow was redriven (redrive ${execution.redriveCount}): it carries on from the state where it stopped.`,
  });
  if (outcome === 'recorded') logger.info('a case workflow was redriven', { redriveCount: execution.redriveCount });
  return outcome;
};
