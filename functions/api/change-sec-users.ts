import { notFound } from '../domain/problem';
import { AddKeyRequest, OfficerRequest, RegisterClientRequest } from '../domain/sec-users';
import { addClientKey, changeClientStatus, register, retireClientKey } from '../use-cases/sec-users';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

const STATUS_ACTIONS = { suspend: 'suspended', reinstate: 'reinstated', offboard: 'offboarded' } as const;

/** SECAS's changes to the register of SEC Users: register, add and retire keys, suspend, reinstate, offboard; each audited with the officer named. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const secas = callerOf(event, ['SECAS']);
    const now = new Date();
    const { clientId = '', kid = '' } = event.pathParameters ?? {};
    switch (event.routeKey) {
      case 'POST /clients': {
        const registered = await register(parseBody(RegisterClientRequest, event), secas.id, now);
        return json(201, registered, { Location: `/clients/${registered.clientId}` });
      }
      case 'POST /clients/{clientId}/keys':
        return json(201, await addClientKey(clientId, parseBody(AddKeyRequest, event), secas.id, now), { Location: `/clients/${clientId}` });
      case 'POST /clients/{clientId}/keys/{kid}/retire':
        return json(200, await retireClientKey(clientId, kid, parseBody(OfficerRequest, event), secas.id, now));
      case 'POST /clients/{clientId}/suspend':
      case 'POST /clients/{clientId}/reinstate':
      case 'POST /clients/{clientId}/offboard': {
        const action = STATUS_ACTIONS[event.routeKey.split('/').pop() as keyof typeof STATUS_ACTIONS];
        return json(200, await changeClientStatus(clientId, action, parseBody(OfficerRequest, event), secas.id, now));
      }
      default:
        throw notFound(`The route ${event.routeKey}`);
    }
  },
  { body: 'json' },
);
