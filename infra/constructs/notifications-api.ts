import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeScopes, routes } from '../../functions/catalogue';

/** How long API Gateway keeps an authorizer's answer: the longest a suspension or a retired key waits to take effect. */
export const AUTHORIZER_CACHE_SECONDS = 300;

export interface NotificationsApiProps {
  /** The Lambda behind each route, by the route's name. */
  handlers: Record<string, IFunction>;
  /** The Lambda authorizer: verifies the Users' and SECAS's access tokens on every route with scopes. */
  authorizer: IFunction;
}

/**
 * NotificationsApi: the HTTP API for Users and the SSC's decision links, built from the same
 * route table the local sandbox serves, with the same scopes per route. Access-logged and throttled.
 */
export class NotificationsApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: NotificationsApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Notifications of a second or subsequent User System (SECMP0057)',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
      },
    });

    // Cached 300 s by token AND route key, so an allow for one route is never reused for a route of other
    // scopes; a suspension or a retired key takes effect within those 300 s. The scopes are checked
    // by the authorizer itself (an HTTP API checks authorizationScopes only with JWT authorizers).
    const authorizer = new HttpLambdaAuthorizer('SecClientAuthorizer', props.authorizer, {
      identitySource: ['$request.header.Authorization', '$context.routeKey'],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_SECONDS),
      responseTypes: [HttpLambdaResponseType.SIMPLE],
    });
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of routes) {
      const handler = props.handlers[route.name];
      if (!handler) throw new Error(`no handler for route ${route.name}`);
      let integration = integrations.get(route.name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.name}Integration`, handler);
        integrations.set(route.name, integration);
      }
      const scopes = routeScopes(route);
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(scopes.length ? { authorizer } : {}),
      });
      if (created && route.access === 'public') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: "The API's OpenAPI description is public, as integrating developers need it before they have credentials.",
        });
      }
      if (created && route.access === 'client-assertion') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "The token endpoint is where a client authenticates: its credential is the assertion signed by the client's own key, verified by the function.",
        });
      }
      if (created && route.access === 'signed-link') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'The SSC has no login: the HMAC-signed, expiring, single-use decision link is the credential, verified by the handler.',
        });
      }
    }
  }
}
