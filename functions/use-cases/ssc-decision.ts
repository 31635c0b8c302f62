import { type DecisionRequest, claimDecision, getCase, getDecisionRequest, lapseDecision, loadCase, releaseDecision } from '../adapters/cases-repository';
import { linkKeyring } from '../adapters/link-keyring';
import { getMember } from '../adapters/ssc-member-register';
import { type DecidedAs, standingOf } from '../domain/ssc-members';
import { businessMetric, logger } from '../adapters/powertools';
import { type CaseFile, type CaseRecord, type SscDecisionRecord, versionOf } from '../domain/case';
import { type DecisionLinkClaims, type LinkParameters, verifyDecisionLink } from '../domain/decision-link';
import { offeredDecisions } from '../domain/ssc-decision';
import { type DecisionFormValues, type Refusal, decisionCorrections } from '../domain/decision-pages';
import type { FieldError } from '../domain/problem';
import { resumeClaimedWait } from './waits';

export type LinkRefusal = { ok: false; refusal: Refusal; decided?: SscDecisionRecord; caseRecord?: CaseRecord };
export type LinkCheck =
  | {
      ok: true;
      claims: DecisionLinkClaims;
      request: DecisionRequest;
      caseRecord: CaseRecord;
      file: CaseFile;
      /** Who the link's holder is in the register of SSC members now; none for a link to the SSC's mailbox. */
      decidedAs?: DecidedAs;
    }
  | LinkRefusal;

const decidedRecord = (request: DecisionRequest): SscDecisionRecord | undefined =>
  request.decision && request.decidedAt
    ? {
        kind: request.decision,
        advice: request.advice ?? '',
        decidedAt: request.decidedAt,
        decisionId: request.decisionId,
        decidedBy: request.decidedBy ?? '',
        ...(request.decidedAs ? { decidedAs: request.decidedAs } : {}),
      }
    : undefined;

/** Everything a decision link must pass before its page shows or its decision is taken. Reads only. */
export const checkDecisionLink = async (decisionId: string, params: LinkParameters, now: Date): Promise<LinkCheck> => {
  const verdict = verifyDecisionLink(decisionId, params, await linkKeyring(), now);
  if (!verdict.ok) {
    logger.warn('decision link refused', { decisionId, reason: verdict.reason });
    return { ok: false, refusal: verdict.reason === 'expired' ? 'expired' : 'invalid' };
  }
  // A link bound to a person works while that person is in the register: read at every use, by key.
  const { holder } = verdict.claims;
  const decidedAs = holder ? standingOf(await getMember(holder.memberId), holder) : undefined;
  if (holder && !decidedAs) {
    logger.info('decision link of a person no longer in the register', { decisionId, memberId: holder.memberId, alternate: holder.alternateId !== undefined });
    return { ok: false, refusal: 'left-register' };
  }
  const request = await getDecisionRequest(decisionId);
  if (!request) return { ok: false, refusal: 'expired' };
  if (request.status === 'Decided') {
    const decided = decidedRecord(request);
    return { ok: false, refusal: 'already-decided', ...(decided ? { decided } : {}) };
  }
  if (request.status !== 'Lapsed' && request.expiresAt * 1000 <= now.getTime()) return { ok: false, refusal: 'expired' };
  const file = await loadCase(request.reference);
  const caseRecord = file?.record;
  logger.appendKeys({ reference: request.reference });
  if (request.status === 'Lapsed' || !caseRecord || caseRecord.openDecisionId !== decisionId || caseRecord.withdrawal) {
    return { ok: false, refusal: 'moved-on', ...(caseRecord ? { caseRecord } : {}) };
  }
  if (!offeredDecisions(caseRecord.informationRounds ?? 0).includes(verdict.claims.decision)) return { ok: false, refusal: 'no-more-questions', caseRecord };
  return { ok: true, claims: verdict.claims, request, caseRecord, file: file as CaseFile, ...(decidedAs ? { decidedAs } : {}) };
};

export type DecisionOutcome =
  | { ok: true; caseRecord: CaseRecord; decision: SscDecisionRecord }
  | LinkRefusal
  /** The link is good but the form is not (no name, the wrong reference, a question left blank): the page is shown again, saying what to correct. */
  | { ok: false; corrections: FieldError[]; check: Extract<LinkCheck, { ok: true }> };

/**
 * Takes the SSC's decision: claim it (request Pending → Decided and the case's wait resolved,
 * in one transaction, once), then resume the workflow with it. If Step Functions cannot be
 * reached the claim is released so the SSC can simply try again.
 */
/**
 * Whether the page a decision comes from showed an earlier version of the notice than the case's:
 * its form carries the version it was rendered from (a page served before amendments carries
 * none, and showed the notice as filed).
 */
const renderedBefore = (renderedVersion: string | undefined, c: CaseRecord | undefined): boolean =>
  c !== undefined && (renderedVersion ?? '1') !== String(versionOf(c));

export const takeDecision = async (
  decisionId: string,
  params: LinkParameters,
  values: Required<DecisionFormValues>,
  now: Date,
  renderedVersion?: string,
): Promise<DecisionOutcome> => {
  const check = await checkDecisionLink(decisionId, params, now);
  // A page rendered before an amendment decides nothing, whether its links lapsed with it or not.
  const awaitsAnother = !check.ok && check.refusal === 'moved-on' && check.caseRecord?.status === 'AwaitingSscDecision' && !check.caseRecord.withdrawal;
  if ((check.ok || awaitsAnother) && renderedBefore(renderedVersion, check.caseRecord)) {
    logger.info('decision from a page rendered before an amendment refused', { decisionId });
    return { ok: false, refusal: 'notice-amended', ...(check.caseRecord ? { caseRecord: check.caseRecord } : {}) };
  }
  if (!check.ok) return check;
  const corrections = decisionCorrections(check.claims.decision, check.caseRecord.reference, values);
  if (corrections.length) {
    logger.info('decision form returned for correction', { decisionId, fields: corrections.map((c) => c.pointer) });
    return { ok: false, corrections, check };
  }
  const { reference } = check.caseRecord;
  const { advice, decidedBy } = values;
  const decidedAt = now.toISOString();
  const decision: SscDecisionRecord = {
    kind: check.claims.decision,
    advice,
    decidedAt,
    decisionId,
    decidedBy,
    ...(check.decidedAs ? { decidedAs: check.decidedAs } : {}),
  };
  const claimed = await claimDecision({
    decision,
    reference,
    ...(check.claims.holder ? { holder: check.claims.holder } : {}),
    event: {
      at: decidedAt,
      type: 'SscDecisionConfirmed',
      actor: { kind: 'SSC', id: `decision link ${decisionId}`, name: decidedBy },
      ...(advice ? { text: advice } : {}),
    },
  });
  if (!claimed?.pendingWait?.taskToken) {
    // A second click, or someone else, got there first: say what stands now.
    const recheck = await checkDecisionLink(decisionId, params, now);
    return recheck.ok ? { ok: false, refusal: 'moved-on', caseRecord: recheck.caseRecord } : recheck;
  }
  const resumed = await resumeClaimedWait(reference, claimed.pendingWait.taskToken, decision, () =>
    releaseDecision(
      decisionId,
      reference,
      decidedAt,
      {
        at: new Date().toISOString(),
        type: 'SscDecisionUndone',
        actor: { kind: 'System' },
        text: 'The workflow could not be reached; the SSC was asked to confirm again.',
      },
      decision.decidedAs !== undefined,
    ),
  );
  if (resumed === 'case-ended') {
    await lapseDecision(decisionId);
    const latest = await getCase(reference);
    return { ok: false, refusal: 'moved-on', ...(latest ? { caseRecord: latest } : {}) };
  }
  logger.info('SSC decision taken', { decisionId, decision: decision.kind });
  businessMetric('SscDecisions', { Decision: decision.kind });
  if (decision.kind === 'MoreInformationNeeded') businessMetric('QuestionsAsked');
  return { ok: true, caseRecord: check.caseRecord, decision };
};
