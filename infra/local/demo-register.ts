import { addMonths } from '../../functions/domain/working-days';
import { sampleNotification } from './sample-notification';

/**
 * The register of Shared Resource assessments as `npm start` leaves it: the provider the sample
 * notification names, with the assessment it cites, Approved and valid for two years from it, so
 * the demo case is triaged as the README tells (deferral supported by the register). Recorded
 * through the API's SECAS routes, as SECAS's console records them; a test's sandbox starts empty.
 */
export const recordDemoProvider = async (apiUrl: string, secasAuthorization: string): Promise<string> => {
  const operator = sampleNotification().newUserSystem.operator;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: secasAuthorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`the demo register: ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { providerId: string };
  };
  const officer = 'Sandbox demo data';
  const { providerId } = await post('/shared-resource-providers', { name: operator.providerName, officer });
  const prior = operator.priorAssessment;
  await post(`/shared-resource-providers/${providerId}/assessments`, {
    reference: prior.reference,
    assessedOn: prior.completedOn,
    assuranceStatus: 'Approved',
    validUntil: addMonths(prior.completedOn, 24),
    officer,
  });
  return providerId;
};
