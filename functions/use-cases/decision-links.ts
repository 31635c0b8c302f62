import { required } from '../adapters/config';
import { linkKeyring } from '../adapters/link-keyring';
import { decisionLinkQuery } from '../domain/decision-link';
import { SscDecisionKind } from '../domain/ssc-decision';

/** The SSC's signed links for one decision request: one per decision, deterministic, so reminders repeat them. */
export const decisionLinks = async (decisionId: string, expires: number): Promise<Record<SscDecisionKind, string>> => {
  const keyring = await linkKeyring();
  const base = required('PUBLIC_BASE_URL').replace(/\/$/, '');
  return Object.fromEntries(
    SscDecisionKind.options.map((decision) => [decision, `${base}/decisions/${decisionId}?${decisionLinkQuery({ decisionId, decision, expires }, keyring)}`]),
  ) as Record<SscDecisionKind, string>;
};
