import { appendCaseEvent, queryCases, recordStartFailure } from '../adapters/cases-repository';
import { logger } from '../adapters/powertools';
import { caseWorkflowStatus } from '../adapters/workflow-client';
import { startWorkflowOf } from './submit-notification';
import { truncate } from '../domain/text';

/** A case younger than this may still be having its workflow started by the intake itself. */
export const UNSTARTED_GRACE_MS = 2 * 60_000;

export interface SweepReport {
  checked: number;
  started: string[];
  failed: string[];
}

/**
 * The other half of the intake's guarantee: every case still Received a little while after it
 * was stored, and with no execution, gets its workflow started now (with the same input the
 * intake would have given it). A case whose execution exists is left alone: it is running, or
 * it stopped on a fault and SECAS has been alerted. Failures are reported after every case has
 * been tried, so one cannot hold up the rest.
 */
export const resumeUnstartedCases = async (now: Date): Promise<SweepReport> => {
  const report: SweepReport = { checked: 0, started: [], failed: [] };
  const receivedBefore = new Date(now.getTime() - UNSTARTED_GRACE_MS).toISOString();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryCases({ by: 'status', status: 'Received', receivedBefore }, { limit: 50, oldestFirst: true, ...(startKey ? { startKey } : {}) });
    for (const record of page.items) {
      report.checked++;
      try {
        if ((await caseWorkflowStatus(record.reference)) !== undefined) continue;
        await startWorkflowOf(record);
        report.started.push(record.reference);
        await appendCaseEvent(record.reference, {
          at: now.toISOString(),
          type: 'WorkflowStartedLate',
          actor: { kind: 'System', id: 'ResumeUnstartedCases' },
          text: 'The workflow could not be started on receipt; it has been started now.',
        });
      } catch (error) {
        logger.error('could not start the workflow of an unstarted case', { reference: record.reference, error: error as Error });
        report.failed.push(record.reference);
        const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        await recordStartFailure(
          record.reference,
          { at: now.toISOString(), error: truncate(why, 256) },
          {
            at: now.toISOString(),
            type: 'WorkflowStartFailed',
            actor: { kind: 'System', id: 'ResumeUnstartedCases' },
            text: `The workflow could not be started (${why}); it is tried again every few minutes, and SECAS's alarm is raised.`,
          },
        ).catch((recording: unknown) =>
          logger.error('could not record the start failure on the case', { reference: record.reference, error: recording as Error }),
        );
      }
    }
    startKey = page.lastKey;
  } while (startKey);
  return report;
};
