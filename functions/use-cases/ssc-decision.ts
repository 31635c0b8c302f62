import {
  type DecisionRequest,
  claimDecision,
  getCase,
  getDecisionRequest,
  lapseDecision,
  releaseDecision,
} from '../adapters/cases-repository';
import { linkKeyring } from '../adapters/link-keyring';
import { logger } from '../adapters/powertools';
import { resumeWait } from '../adapters/workflow-client';
import type { CaseRecord, SscDecisionRecord } from '../domain/case';
import { type DecisionLinkClaims, type LinkParameters, verifyDecisionLink } from '../domain/decision-link';
import type { Refusal } from '../domain/decision-pages';
import { Problem } from '../domain/problem';

export type LinkCheck =
  | { ok: true; claims: DecisionLinkClaims; request: DecisionRequest; caseRecord: CaseRecord }
  | { ok: false; refusal: Refusal; decided?: SscDecisionRecord };

const decidedRecord = (request: DecisionRequest): SscDecisionRecord | undefined =>
  request.decision && request.decidedAt
    ? { kind: request.decision, advice: request.advice ?? '', decidedAt: request.decidedAt, decisionId: request.decisionId }
    : undefined;

/** Everything a decision link must pass before its page shows or its decision is taken. Reads only. */
export const checkDecisionLink = async (decisionId: string, params: LinkParameters, now: Date): Promise<LinkCheck> => {
  const verdict = verifyDecisionLink(decisionId, params, await linkKeyring(), now);
  if (!verdict.ok) {
    logger.warn('decision link refused', { decisionId, reason: verdict.reason });
    return { ok: false, refusal: verdict.reason === 'expired' ? 'expired' : 'invalid' };
  }
  const request = await getDecisionRequest(decisionId);
  if (!request) return { ok: false, refusal: 'expired' };
  if (request.status === 'Decided') {
    const decided = decidedRecord(request);
    return { ok: false, refusal: 'already-decided', ...(decided ? { decided } : {}) };
  }
  if (request.status === 'Lapsed') return { ok: false, refusal: 'moved-on' };
  if (request.expiresAt * 1000 <= now.getTime()) return { ok: false, refusal: 'expired' };
  const caseRecord = await getCase(request.reference);
  if (!caseRecord || caseRecord.openDecisionId !== decisionId) return { ok: false, refusal: 'moved-on' };
  return { ok: true, claims: verdict.claims, request, caseRecord };
};

export type DecisionOutcome =
  | { ok: true; caseRecord: CaseRecord; decision: SscDecisionRecord }
  | { ok: false; refusal: Refusal; decided?: SscDecisionRecord };

/**
 * Takes the SSC's decision: claim the request (Pending → Decided, once), then resume the
 * workflow's wait with it. If the wait had already ended the claim lapses; if Step Functions
 * cannot be reached the claim is released so the SSC can simply try again.
 */
export const takeDecision = async (
  decisionId: string,
  params: LinkParameters,
  advice: string,
  now: Date,
): Promise<DecisionOutcome> => {
  const check = await checkDecisionLink(decisionId, params, now);
  if (!check.ok) return check;
  const decidedAt = now.toISOString();
  const claimed = await claimDecision({ decisionId, decision: check.claims.decision, advice, decidedAt });
  if (!claimed) {
    // Someone (or a second click) got there first: say what stands now.
    const recheck = await checkDecisionLink(decisionId, params, now);
    return recheck.ok ? { ok: false, refusal: 'moved-on' } : recheck;
  }
  const decision: SscDecisionRecord = { kind: check.claims.decision, advice, decidedAt, decisionId };
  let outcome: Awaited<ReturnType<typeof resumeWait>>;
  try {
    outcome = await resumeWait(claimed.taskToken, decision);
  } catch (error) {
    logger.error('could not resume the workflow; releasing the claim', { decisionId, error: error as Error });
    await releaseDecision(decisionId, decidedAt);
    throw new Problem(503, 'workflow-unavailable', 'Please try again shortly', 'The decision could not be recorded just now. Nothing has been changed; please submit again in a minute.', {
      headers: { 'Retry-After': '60' },
    });
  }
  if (outcome === 'wait-ended') {
    await lapseDecision(decisionId);
    return { ok: false, refusal: 'moved-on' };
  }
  logger.info('SSC decision taken', { reference: check.caseRecord.reference, decisionId, decision: decision.kind });
  return { ok: true, caseRecord: check.caseRecord, decision };
};
