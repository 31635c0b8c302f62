import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { FeaturePlan, Mfa, OAuthScope, ResourceServerScope, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { RESOURCE_SERVER } from '../../functions/domain/caller';

/** A SEC User given API access: one machine client each, so its cases are its own. */
export interface SecUserClient {
  /** Stable construct id, e.g. `northwold-energy`. */
  id: string;
  /** The User's name, as the Cognito app client's name. */
  name: string;
}

export interface SecApiClientsProps {
  users: SecUserClient[];
  /** Prefix of the Cognito domain that serves the OAuth token endpoint (globally unique). */
  domainPrefix: string;
}

/**
 * SecApiClients: the Cognito user pool that issues OAuth 2.0 client-credentials access tokens
 * to each SEC User's systems (scope `second-user-system/user`) and to SECAS (scope
 * `second-user-system/secas`), and the HTTP API authorizer that verifies them. No people sign
 * in here: every client is a machine, and adding a User is a change to the `secUsers` context
 * and a deploy, so who may file notifications is reviewed like code.
 */
export class SecApiClients extends Construct {
  readonly userPool: UserPool;
  readonly authorizer: HttpUserPoolAuthorizer;
  readonly userClients: UserPoolClient[];
  readonly secasClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: SecApiClientsProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      featurePlan: FeaturePlan.ESSENTIALS,
      // No person has an account; a strong policy and MFA still apply should one ever be made.
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus tier adds threat protection for people signing in; this pool only issues client-credentials tokens to machine clients, which it does not cover.',
    });
    const userScope = new ResourceServerScope({ scopeName: 'user', scopeDescription: 'A SEC User: file and follow its own notifications' });
    const secasScope = new ResourceServerScope({ scopeName: 'secas', scopeDescription: 'SECAS: every case, and the assessment records' });
    const server = this.userPool.addResourceServer('ResourceServer', { identifier: RESOURCE_SERVER, scopes: [userScope, secasScope] });
    this.userPool.addDomain('TokenEndpoint', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    // Kept with the pool if the stack goes: each holds the secret a User's systems authenticate with.
    const machineClient = (clientId: string, name: string, scope: ResourceServerScope) => {
      const client = this.userPool.addClient(clientId, {
        userPoolClientName: name,
        generateSecret: true,
        authFlows: {},
        oAuth: { flows: { clientCredentials: true }, scopes: [OAuthScope.resourceServer(server, scope)] },
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
      client.applyRemovalPolicy(RemovalPolicy.RETAIN);
      return client;
    };
    this.userClients = props.users.map((user) => machineClient(`UserClient-${user.id}`, user.name, userScope));
    this.secasClient = machineClient('SecasClient', 'SECAS', secasScope);

    this.authorizer = new HttpUserPoolAuthorizer('SecApiClientsAuthorizer', this.userPool, {
      userPoolClients: [...this.userClients, this.secasClient],
    });
  }
}
