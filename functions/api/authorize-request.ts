import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { logger } from '../adapters/powertools';
import { type AuthorizerContext, authorizeRequest } from '../use-cases/access-tokens';

/**
 * The HTTP API's Lambda authorizer (payload 2.0, simple responses). API Gateway caches each answer
 * for 300 s by the Authorization header and the route key together, so an answer for one route is
 * never reused for another route's scopes. `isAuthorized: false` is API Gateway's 403
 * `{"message":"Forbidden"}`; a missing Authorization header never reaches this function (401).
 * A fault (the register or KMS unreachable) throws, which API Gateway answers with a 500.
 */
export const handler = middy(
  async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext | Record<string, never>>> => {
    const context = await authorizeRequest(event.headers?.authorization, event.routeKey, new Date());
    logger.debug('authorized', { route: event.routeKey, allowed: context !== undefined });
    return context ? { isAuthorized: true, context } : { isAuthorized: false, context: {} };
  },
).use(injectLambdaContext(logger, { resetKeys: true }));
