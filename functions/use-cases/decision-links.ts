import { setting } from '../adapters/config';
import { linkKeyring } from '../adapters/link-keyring';
import type { CaseRecord } from '../domain/case';
import { decisionLinkQuery } from '../domain/decision-link';
import type { DecisionLinks } from '../domain/emails';
import { offeredDecisions } from '../domain/ssc-decision';

/**
 * The SSC's signed links for one decision request: one per decision offered on the case (no
 * further question once the SSC has asked its most), deterministic, so reminders repeat them.
 */
export const decisionLinks = async (c: Pick<CaseRecord, 'informationRounds'>, decisionId: string, expires: number): Promise<DecisionLinks> => {
  const keyring = await linkKeyring();
  const base = setting('PUBLIC_BASE_URL').replace(/\/$/, '');
  return Object.fromEntries(
    offeredDecisions(c.informationRounds ?? 0).map((decision) => [
      decision,
      `${base}/decisions/${decisionId}?${decisionLinkQuery({ decisionId, decision, expires }, keyring)}`,
    ]),
  );
};
