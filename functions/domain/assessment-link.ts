import { type LinkKeyring, signLink, verifySignedLink } from './signed-link';

/**
 * SECAS's assessment links (see signed-link.ts): one per stage of an ad-hoc User Security
 * Assessment the workflow waits for — its date, then its outcome — to a form that records it,
 * `/assessments/{recordId}?record=date|outcome&expires=<epoch s>&sig=<key id>.<HMAC>`.
 */
export type AssessmentStage = 'AssessmentSchedule' | 'AssessmentOutcome';

const slugs: Record<AssessmentStage, string> = { AssessmentSchedule: 'date', AssessmentOutcome: 'outcome' };
const stageOf = (slug: string | undefined): AssessmentStage | undefined => (Object.keys(slugs) as AssessmentStage[]).find((s) => slugs[s] === slug);

export interface AssessmentLinkClaims {
  recordId: string;
  stage: AssessmentStage;
  /** Expiry, epoch seconds. */
  expires: number;
}

export const assessmentLinkQuery = (claims: AssessmentLinkClaims, keyring: LinkKeyring): string =>
  new URLSearchParams({
    record: slugs[claims.stage],
    expires: String(claims.expires),
    sig: signLink('secas-assessment-link', { id: claims.recordId, action: claims.stage, expires: claims.expires }, keyring),
  }).toString();

export interface AssessmentLinkParameters {
  record?: string | undefined;
  expires?: string | undefined;
  sig?: string | undefined;
}

export type AssessmentLinkVerdict = { ok: true; claims: AssessmentLinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

export const verifyAssessmentLink = (recordId: string, params: AssessmentLinkParameters, keyring: LinkKeyring, now: Date): AssessmentLinkVerdict => {
  const verdict = verifySignedLink('secas-assessment-link', recordId, stageOf(params.record), params, keyring, now);
  return verdict.ok ? { ok: true, claims: { recordId, stage: verdict.claims.action, expires: verdict.claims.expires } } : verdict;
};
