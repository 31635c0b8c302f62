import type { GrantException } from './check';

/**
 * The grants no test can exercise in the sandbox, each with why it stays. Everything else a
 * stack grants must be used by a call the suite recorded, or the run fails (least privilege).
 */
const DYNAMODB_WRITES_KEY_ACTIONS = new Set(['kms:Encrypt', 'kms:GenerateDataKey']);
const STATE_MACHINE_DELIVERY_ACTIONS = new Set([
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
]);

export const grantExceptions: GrantException[] = [
  {
    name: "Lambda's own logging",
    reason: "Lambda writes the function's output to its log group (logs:CreateLogStream, logs:PutLogEvents) as the function; the code makes no such call.",
    matches: (g, { deployment }) => {
      if (!g.holder.startsWith('function:') || !['logs:CreateLogStream', 'logs:PutLogEvents'].includes(g.action)) return false;
      const fn = deployment
        .resources('AWS::Lambda::Function')
        .find((f) => deployment.resolve(f.stack, f.properties.Role) === g.principal && f.properties.LoggingConfig?.LogGroup);
      return !!fn && g.resource === deployment.arn('logs', `log-group:${deployment.resolve(fn.stack, fn.properties.LoggingConfig.LogGroup)}:*`);
    },
  },
  {
    name: "Lambda's active tracing",
    reason:
      'Lambda sends the invocation\'s X-Ray segments as the function (xray:PutTraceSegments, xray:PutTelemetryRecords, which take no resource narrower than "*").',
    matches: (g) => g.holder.startsWith('function:') && ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'].includes(g.action) && g.resource === '*',
  },
  {
    name: "Step Functions' log delivery and tracing",
    reason:
      'Step Functions sets up the state machine\'s log delivery and X-Ray tracing with its role (CDK\'s grant for `logs` and `tracingEnabled`; none takes a narrower resource than "*"); the local runtime has neither.',
    matches: (g) => g.holder.startsWith('state-machine:') && STATE_MACHINE_DELIVERY_ACTIONS.has(g.action) && g.resource === '*',
  },
  {
    name: "DynamoDB's writes under the table's key",
    reason:
      "Every access to the table's items needs kms:Decrypt of the table key (checked: derived from each recorded call). AWS documents no exact list of what DynamoDB asks of a writer's permissions under a customer-managed key, so writers keep kms:Encrypt and kms:GenerateDataKey on that key (as CDK's grantWriteData gives them), unexercisable offline.",
    matches: (g, { tableKeyOf, deployment }) =>
      DYNAMODB_WRITES_KEY_ACTIONS.has(g.action) &&
      [...deployment.resources('AWS::DynamoDB::Table'), ...deployment.resources('AWS::DynamoDB::GlobalTable')].some(
        (t) => tableKeyOf(deployment.getAtt(t.stack, t.logicalId, 'Arn')) === g.resource,
      ),
  },
  {
    name: "EventBridge's dead letters",
    reason:
      "EventBridge sends an event to its rule target's dead-letter queue only when it cannot hand it to Lambda at all (the function gone, or throttled for the retry policy's whole day); the sandbox's Lambda accepts every asynchronous event. The function's own failures go to its on-failure destination, which the suite exercises.",
    matches: (g, { deployment }) =>
      g.holder === 'service:events.amazonaws.com' &&
      g.action === 'sqs:SendMessage' &&
      deployment
        .resources('AWS::Events::Rule')
        .some((r) =>
          (r.properties.Targets ?? []).some(
            (t: { DeadLetterConfig?: { Arn: unknown } }) => deployment.resolve(r.stack, t.DeadLetterConfig?.Arn) === g.resource,
          ),
        ),
  },
  {
    name: "The Scheduler's dead letters",
    reason:
      "EventBridge Scheduler sends a reminder to the schedules' dead-letter queue (as the schedules' role) only when it cannot hand it to Lambda for a day; the sandbox's Lambda accepts every event. The local Scheduler's dead-lettering is tested on its own (test/integration/scheduler-conformance.test.ts).",
    matches: (g, { resolve }) =>
      g.principal === resolve(`\${ANNUAL_REVIEW_SCHEDULER_ROLE_ARN}`) &&
      g.action === 'sqs:SendMessage' &&
      g.resource === resolve(`\${ANNUAL_REVIEW_DEAD_LETTER_ARN}`),
  },
  {
    name: "CloudWatch's alarm notifications",
    reason:
      "CloudWatch alarms publish to SECAS's alarm topic (sns:Publish, and its key's kms:Decrypt and kms:GenerateDataKey*); the sandbox has no CloudWatch alarms.",
    matches: (g, { deployment }) =>
      g.holder === 'service:cloudwatch.amazonaws.com' &&
      (g.action === 'sns:Publish' || ((g.action === 'kms:Decrypt' || g.action === 'kms:GenerateDataKey*') && g.resource.includes(':key/'))) &&
      deployment.resources('AWS::SNS::Topic').length > 0,
  },
];
