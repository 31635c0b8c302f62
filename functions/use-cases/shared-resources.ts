import { getCase } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { logger } from '../adapters/powertools';
import { casesEmploying, createProvider, getProvider, listProviders, saveAssessment } from '../adapters/shared-resource-register';
import { type CaseRecord, isFinal } from '../domain/case';
import { type ProviderOutcome, sharedResourceAlertEmail, sharedResourceOutcomeEmail } from '../domain/emails';
import { notFound } from '../domain/problem';
import {
  type RecordProviderAssessmentRequest,
  type RecordProviderRequest,
  type SharedResourceProvider,
  isProviderId,
  providerIdOf,
  recordAssessment,
  recordProvider,
  viewOfProvider,
} from '../domain/shared-resources';
import { londonDate } from '../domain/working-days';
import { sscMailboxes } from './ssc-mailboxes';

/** SECAS keeps the register of Shared Resource Providers: each change read, decided by the domain, and written only if nobody changed it meanwhile. */
const existing = async (providerId: string): Promise<SharedResourceProvider> => {
  // An id that cannot be one is not looked up (a key too long, or a probe).
  const provider = isProviderId(providerId) ? await getProvider(providerId) : undefined;
  if (!provider) throw notFound('The Shared Resource Provider');
  return provider;
};

export const providers = async () => ({ items: (await listProviders()).sort((a, b) => a.name.localeCompare(b.name)).map(viewOfProvider) });
export const provider = async (providerId: string) => viewOfProvider(await existing(providerId));

export const addProvider = async (request: RecordProviderRequest, by: string, now: Date) => {
  const recorded = recordProvider(request, by, now);
  await createProvider(recorded);
  return viewOfProvider(recorded);
};

/**
 * The open or deferred cases (any status but a final one) that still name the provider, read by
 * key from its partition: a case amended to another provider since it was filed is left out.
 */
const openCasesEmploying = async (providerId: string): Promise<CaseRecord[]> => {
  const cases: CaseRecord[] = [];
  for (const reference of await casesEmploying(providerId)) {
    const record = await getCase(reference);
    const operator = record?.submission.newUserSystem.operator;
    if (record && !isFinal(record.status) && operator?.kind === 'SharedResourceProvider' && providerIdOf(operator.providerName) === providerId)
      cases.push(record);
  }
  return cases;
};

/**
 * Records a new assessment outcome for a provider, then (SEC G10.8) emails it to the User of every
 * open or deferred case employing the provider, and alerts SECAS and the SSC when it is Deferred or
 * Rejected. The cases are found first, so the outcome's audit entry, written in the same write as
 * the outcome, names the cases whose Users are told; the write is the commit point, and the emails
 * follow it (a refused write tells nobody).
 */
export const addAssessment = async (providerId: string, request: RecordProviderAssessmentRequest, by: string, now: Date) => {
  const decided = recordAssessment(await existing(providerId), request, by, londonDate(now), now);
  const cases = await openCasesEmploying(providerId);
  const notifiedCases = cases.map((c) => c.reference);
  const recorded = { ...decided, audit: decided.audit.map((entry, i) => (i === decided.audit.length - 1 ? { ...entry, notifiedCases } : entry)) };
  await saveAssessment(recorded, request.reference);
  const outcome: ProviderOutcome = {
    providerName: recorded.name,
    reference: request.reference,
    assessedOn: request.assessedOn,
    assuranceStatus: request.assuranceStatus,
    validUntil: request.validUntil,
  };
  for (const c of cases) await sendEmail(sharedResourceOutcomeEmail(c, outcome), c.reference);
  if (request.assuranceStatus !== 'Approved') await sendEmail(sharedResourceAlertEmail(outcome, cases, await sscMailboxes()), providerId);
  logger.info('a Shared Resource assessment outcome recorded', { providerId, reference: request.reference, notified: cases.length });
  return viewOfProvider(recorded);
};
