import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { sfnClient } from './aws-clients';
import { setting } from './config';

/**
 * Starts the case's SscTriageWorkflow execution, named after the case reference. Idempotent:
 * 'already-exists' when an execution of that name exists (started by an earlier try whose
 * answer was lost, or stopped since); the same name and input as a running one is the same one.
 */
export const startCaseWorkflow = async (reference: string, input: object): Promise<'started' | 'already-exists'> => {
  try {
    await sfnClient().send(new StartExecutionCommand({ stateMachineArn: setting('STATE_MACHINE_ARN'), name: reference, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return 'already-exists';
    throw error;
  }
};

const executionArnOf = (reference: string) => `${setting('STATE_MACHINE_ARN').replace(':stateMachine:', ':execution:')}:${reference}`;

/** The status of the case's execution, or undefined when it has none. */
export const caseWorkflowStatus = async (reference: string): Promise<string | undefined> => {
  try {
    const { status } = await sfnClient().send(new DescribeExecutionCommand({ executionArn: executionArnOf(reference) }));
    return status;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return undefined;
    throw error;
  }
};

/** The last state an execution entered: where it stopped, for a fault report. */
export const lastEnteredState = async (executionArn: string): Promise<string | undefined> => {
  const { events } = await sfnClient().send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }));
  return events?.find((e) => e.type?.endsWith('StateEntered'))?.stateEnteredEventDetails?.name;
};

export type ResumeOutcome = 'resumed' | 'wait-ended';

/**
 * Resumes the wait a task token belongs to. 'wait-ended' when the wait is over (timed out,
 * execution stopped): the caller's action then changes nothing. Other errors are passing
 * faults and are thrown.
 */
export const resumeWait = async (taskToken: string, output: object): Promise<ResumeOutcome> =>
  settle(() => sfnClient().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));

/** Ends a wait with a named error, which the state machine catches (e.g. CaseWithdrawn). */
export const failWait = async (taskToken: string, error: string, cause: string): Promise<ResumeOutcome> =>
  settle(() => sfnClient().send(new SendTaskFailureCommand({ taskToken, error, cause })));

const settle = async (send: () => Promise<unknown>): Promise<ResumeOutcome> => {
  try {
    await send();
    return 'resumed';
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) {
      return 'wait-ended';
    }
    throw error;
  }
};
