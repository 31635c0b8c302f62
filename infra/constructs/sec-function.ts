import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** How every Lambda is bundled: shared with the benchmark (infra/tools/bench.ts), which measures the same bundles. */
export const BUNDLING = {
  target: 'node24',
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require(); give ESM a require.
  banner: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);",
} as const;

export interface SecFunctionProps {
  /** The handler file, relative to the project root (from functions/catalogue.ts). */
  entry: string;
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
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: SecFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    // Its own role, allowed to write its own log group only (not the managed basic-execution policy).
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
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
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: true,
        sourceMap: true,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [],
        banner: BUNDLING.banner,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource narrower than *.',
    });
  }
}
