import { notFound } from '../domain/problem';
import { RecordProviderAssessmentRequest, RecordProviderRequest } from '../domain/shared-resources';
import { addAssessment, addProvider } from '../use-cases/shared-resources';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

/** SECAS's changes to the register of Shared Resource Providers: a provider, an assessment outcome (told to the Users that employ it); each audited with the officer named. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const secas = callerOf(event, ['SECAS']);
    const now = new Date();
    const providerId = event.pathParameters?.providerId ?? '';
    switch (event.routeKey) {
      case 'POST /shared-resource-providers': {
        const recorded = await addProvider(parseBody(RecordProviderRequest, event), secas.id, now);
        return json(201, recorded, { Location: `/shared-resource-providers/${recorded.providerId}` });
      }
      case 'POST /shared-resource-providers/{providerId}/assessments':
        return json(201, await addAssessment(providerId, parseBody(RecordProviderAssessmentRequest, event), secas.id, now), {
          Location: `/shared-resource-providers/${providerId}`,
        });
      default:
        throw notFound(`The route ${event.routeKey}`);
    }
  },
  { body: 'json' },
);
