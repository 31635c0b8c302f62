import { notFound } from '../domain/problem';
import { member, members } from '../use-cases/ssc-members';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /ssc-members and GET /ssc-members/{memberId}: SECAS reads the register of SSC members and their Alternates. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    callerOf(event, ['SECAS']);
    const memberId = event.pathParameters?.memberId;
    if (event.routeKey === 'GET /ssc-members') return json(200, await members());
    if (memberId) return json(200, await member(memberId));
    throw notFound(`The route ${event.routeKey}`);
  },
  { body: 'none' },
);
