import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type Code, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface SecFunctionProps {
  /** Its bundle (catalogue-bundles.ts), the handler exported as `handler` from `index.mjs`. */
  code: Code;
  description: string;
  environment: Record<string, string>;
  /** Powertools' service name (logs and metrics): one per stage. */
  serviceName: string;
  timeout?: Duration;
  /** Only where the function's ARN is kept outside its stack (a schedule's target); CloudFormation names the rest. */
  functionName?: string;
}

/**
 * A Lambda of this product with its own log group: Node 24 on arm64, bundled ESM (the AWS
 * SDK included, so AWS runs the versions the tests ran), JSON logs, and Lambda's active tracing
 * (segments the service records itself: no X-Ray SDK in the bundle; see the README).
 */
export class SecFunction extends Construct {
  readonly function: LambdaFunction;

  constructor(scope: Construct, id: string, props: SecFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    // Its own role, allowed to write its own log group only (not the managed basic-execution policy).
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new LambdaFunction(this, 'Function', {
      code: props.code,
      handler: 'index.handler',
      ...(props.functionName ? { functionName: props.functionName } : {}),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(15),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource narrower than *.',
    });
  }
}
