import { getClient, listClients, saveClient } from '../adapters/sec-users-register';
import { notFound } from '../domain/problem';
import {
  type AddKeyRequest,
  type OfficerRequest,
  type RegisterClientRequest,
  type SecUserClient,
  addKey,
  changeStatus,
  isClientId,
  newClientId,
  registerClient,
  retireKey,
  viewOf,
} from '../domain/sec-users';

/** SECAS keeps the register of SEC Users: each change read, decided by the domain, and written only if nobody changed the client meanwhile. */
const existing = async (clientId: string): Promise<SecUserClient> => {
  // An id that cannot be one is not looked up (a key DynamoDB would refuse as too long, or a probe).
  const client = isClientId(clientId) ? await getClient(clientId) : undefined;
  if (!client) throw notFound('The client');
  return client;
};

const change = async (clientId: string, decide: (client: SecUserClient) => SecUserClient) => {
  const changed = decide(await existing(clientId));
  await saveClient(changed);
  return viewOf(changed);
};

export const register = async (request: RegisterClientRequest, by: string, now: Date) => {
  const client = registerClient(newClientId(), 'User', request, by, now);
  await saveClient(client);
  return viewOf(client);
};

export const clients = async () => ({ items: (await listClients()).map(viewOf) });
export const client = async (clientId: string) => viewOf(await existing(clientId));
export const addClientKey = (clientId: string, request: AddKeyRequest, by: string, now: Date) => change(clientId, (c) => addKey(c, request, by, now));
export const retireClientKey = (clientId: string, kid: string, request: OfficerRequest, by: string, now: Date) =>
  change(clientId, (c) => retireKey(c, kid, request, by, now));
export const changeClientStatus = (clientId: string, action: 'suspended' | 'reinstated' | 'offboarded', request: OfficerRequest, by: string, now: Date) =>
  change(clientId, (c) => changeStatus(c, action, request, by, now));
