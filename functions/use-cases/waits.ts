import { claimWait, enterWait, getCase, releaseWait } from '../adapters/cases-repository';
import { logger } from '../adapters/powertools';
import { failWait, resumeWait } from '../adapters/workflow-client';
import { type Actor, type CaseRecord, type WaitResolution, isFinal } from '../domain/case';
import type { WaitKind } from '../domain/deadlines';
import { Problem } from '../domain/problem';

/**
 * How the workflow and people meet at a wait. The case keeps one pending wait: its current
 * task token, and, once a person acts, their resolution. A person's action claims the wait
 * (once), then resumes the workflow with the token. If that token had just expired (the
 * workflow was at a reminder or escalation checkpoint), the workflow finds the resolution
 * when it re-enters the wait and resumes itself: nothing a person did is lost.
 */

/** The error the workflow catches to end a case as withdrawn. */
export class CaseWithdrawn extends Error {
  constructor(reference: string) {
    super(`case ${reference} was withdrawn by the User`);
    this.name = 'CaseWithdrawn';
  }
}

const WITHDRAWABLE_WAITS: ReadonlySet<WaitKind> = new Set(['SscDecision', 'UserInformation']);

/**
 * `notify`: the people the wait depends on have not been told yet. Decided by a flag set after
 * the telling, not by the first entry: a task retried after a failed email must send it again.
 */
export type WaitEntry = { resumed: true } | { resumed: false; record: CaseRecord; notify: boolean };

/**
 * Called by a waiting task (`.waitForTaskToken`) each time the workflow enters it. Ends the
 * wait at once if the case is being withdrawn or a person already resolved it.
 */
export const enterCaseWait = async (reference: string, kind: WaitKind, taskToken: string, amendable = false): Promise<WaitEntry> => {
  const record = await enterWait(reference, kind, taskToken, amendable);
  if (record.withdrawal && WITHDRAWABLE_WAITS.has(kind)) throw new CaseWithdrawn(reference);
  const resolution = record.pendingWait?.resolution;
  if (resolution) {
    logger.info('wait already resolved; resuming', { reference, wait: kind });
    await resumeWait(taskToken, resolution);
    return { resumed: true };
  }
  return { resumed: false, record, notify: !record.pendingWait?.notified };
};

export type ResolveOutcome = { ok: true; record: CaseRecord } | { ok: false; reason: 'not-waiting' | 'moved-on' };

/**
 * A person resolves a wait (answers the SSC, records an assessment date or outcome). Once:
 * a second attempt, or one when the case is in another wait, changes nothing.
 */
export const resolveCaseWait = async (
  reference: string,
  kind: WaitKind,
  resolution: WaitResolution,
  actor: Actor,
  eventType: string,
  text?: string,
): Promise<ResolveOutcome> => {
  const at = new Date().toISOString();
  const record = await claimWait(reference, kind, resolution, { at, type: eventType, actor, ...(text ? { text } : {}) });
  if (!record?.pendingWait) return { ok: false, reason: 'not-waiting' };
  // Resolved before the task entered the wait: the task resumes itself when it does.
  if (!record.pendingWait.taskToken) return { ok: true, record };
  const resumed = await resumeClaimedWait(reference, record.pendingWait.taskToken, resolution, () =>
    releaseWait(reference, kind, {
      at: new Date().toISOString(),
      type: `${eventType}Undone`,
      actor: { kind: 'System' },
      text: 'The workflow could not be reached; please try again.',
    }),
  );
  return resumed === 'resumed' ? { ok: true, record } : { ok: false, reason: 'moved-on' };
};

/**
 * Resumes a wait a person has just claimed. If the workflow cannot be reached, the claim is
 * undone (`release`) and the person is asked to try again (503). If the token had just expired
 * (the workflow was at a reminder or escalation checkpoint), the re-entering task finds the
 * resolution and resumes itself; only a case that ended meanwhile has moved on.
 */
export const resumeClaimedWait = async (
  reference: string,
  taskToken: string,
  resolution: WaitResolution,
  release: () => Promise<void>,
): Promise<'resumed' | 'case-ended'> => {
  let outcome: Awaited<ReturnType<typeof resumeWait>>;
  try {
    outcome = await resumeWait(taskToken, resolution);
  } catch (error) {
    logger.error('could not resume the workflow; releasing the claim', { reference, error: error as Error });
    await release();
    throw unavailable();
  }
  if (outcome === 'wait-ended') {
    const latest = await getCase(reference);
    if (!latest || isFinal(latest.status)) return 'case-ended';
  }
  return 'resumed';
};

/** Ends the case's current wait as withdrawn, if it has one; otherwise the next wait will. */
export const withdrawFromWait = async (record: CaseRecord): Promise<void> => {
  if (!record.pendingWait?.taskToken) return;
  try {
    await failWait(record.pendingWait.taskToken, 'CaseWithdrawn', 'The User withdrew the notification.');
  } catch (error) {
    // The withdrawal is recorded: the waiting task sees it on its next entry, so this is not fatal.
    logger.warn('could not end the wait now; the workflow will see the withdrawal on re-entry', { reference: record.reference, error: error as Error });
  }
};

export const unavailable = () =>
  new Problem(
    503,
    'workflow-unavailable',
    'Please try again shortly',
    'The workflow could not be reached just now. Nothing has been changed; please try again in a minute.',
    {
      headers: { 'Retry-After': '60' },
    },
  );
