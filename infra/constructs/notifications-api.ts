import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, type IHttpRouteAuthorizer, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeScopes, routes } from '../../functions/catalogue';

export interface NotificationsApiProps {
  /** The Lambda behind each route, by the route's name. */
  handlers: Record<string, IFunction>;
  /** Verifies the Users' and SECAS's access tokens on every route but the SSC's signed links. */
  authorizer: IHttpRouteAuthorizer;
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
        ...(scopes.length ? { authorizer: props.authorizer, authorizationScopes: scopes } : {}),
      });
      if (created && route.access === 'public') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: "The API's OpenAPI description is public, as integrating developers need it before they have credentials.",
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
