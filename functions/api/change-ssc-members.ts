import { notFound } from '../domain/problem';
import { AddMemberRequest, AppointAlternateRequest, MemberRemovalRequest } from '../domain/ssc-members';
import { addSscMember, appointSscAlternate, removeSscAlternate, removeSscMember } from '../use-cases/ssc-members';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

/** SECAS's changes to the register of SSC members: a member, their Alternate, a removal; each audited with the officer named. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const secas = callerOf(event, ['SECAS']);
    const now = new Date();
    const memberId = event.pathParameters?.memberId ?? '';
    switch (event.routeKey) {
      case 'POST /ssc-members': {
        const added = await addSscMember(parseBody(AddMemberRequest, event), secas.id, now);
        return json(201, added, { Location: `/ssc-members/${added.memberId}` });
      }
      case 'POST /ssc-members/{memberId}/alternate':
        return json(200, await appointSscAlternate(memberId, parseBody(AppointAlternateRequest, event), secas.id, now));
      case 'POST /ssc-members/{memberId}/alternate/removal':
        return json(200, await removeSscAlternate(memberId, parseBody(MemberRemovalRequest, event), secas.id, now));
      case 'POST /ssc-members/{memberId}/removal':
        return json(200, await removeSscMember(memberId, parseBody(MemberRemovalRequest, event), secas.id, now));
      default:
        throw notFound(`The route ${event.routeKey}`);
    }
  },
  { body: 'json' },
);
