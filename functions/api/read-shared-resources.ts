import { notFound } from '../domain/problem';
import { provider, providers } from '../use-cases/shared-resources';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /shared-resource-providers and GET /shared-resource-providers/{providerId}: SECAS reads the register of Shared Resource assessments. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    callerOf(event, ['SECAS']);
    const providerId = event.pathParameters?.providerId;
    if (event.routeKey === 'GET /shared-resource-providers') return json(200, await providers());
    if (providerId) return json(200, await provider(providerId));
    throw notFound(`The route ${event.routeKey}`);
  },
  { body: 'none' },
);
