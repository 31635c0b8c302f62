import { notFound } from '../domain/problem';
import { client, clients } from '../use-cases/sec-users';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /clients and GET /clients/{clientId}: SECAS reads the register of SEC Users (public keys and audit trail included). */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    callerOf(event, ['SECAS']);
    const clientId = event.pathParameters?.clientId;
    if (event.routeKey === 'GET /clients') return json(200, await clients());
    if (clientId) return json(200, await client(clientId));
    throw notFound(`The route ${event.routeKey}`);
  },
  { body: 'none' },
);
