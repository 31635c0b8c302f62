import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SettingName } from '../../functions/adapters/config';
import { type FunctionName, type Uses, functionNames, settingsOf, specOf } from '../../functions/catalogue';
import { CatalogueBundles } from './catalogue-bundles';
import { SecFunction } from './sec-function';

/** The ARNs of what the functions reach, as the stacks know them (tokens are fine). */
export interface ProductResources {
  table: ITableV2;
  tableKey: IKey;
  keyring: ISecret;
  keyringKey: IKey;
  /** The asymmetric KMS key that signs the access tokens. */
  accessTokenKey: IKey;
  /** The SES identity and configuration set every email is sent through. */
  mailIdentityArn: string;
  configurationSetArn: string;
  stateMachineArn: string;
  /** Every execution of that state machine (they are named after case references). */
  executionsArn: string;
  /** The role the annual-review schedules invoke RemindOfAnnualReview as, and the ARN of the schedules they may create. */
  annualReviewSchedulerRoleArn: string;
  annualReviewSchedulesArn: string;
  /** The history anchors' bucket (records stack). */
  historyAnchorBucketArn: string;
}

export interface ProductFunctionsProps {
  resources: ProductResources;
  /** The value of every setting the stack provides; a function gets those its catalogue entry implies. */
  settings: Partial<Record<SettingName, string>>;
  /** Powertools' service name: one per stage, so stages' logs and metrics stay apart. */
  serviceName: string;
  /** Functions whose physical name must be stable across a replacement of this stack (their ARN is stored outside it). */
  fixedNames?: Partial<Record<FunctionName, string>>;
}

const DYNAMODB_READS = new Set(['GetItem', 'Query']);

/**
 * Every function of the catalogue (functions/catalogue.ts), each with the grants its `uses`
 * declares, on exactly those resources, and the settings it implies, nothing more. A call the
 * code makes without a grant here fails the servers tests' permission check (at their end:
 * test/support/permissions/), as a grant no test exercises does.
 */
export class ProductFunctions extends Construct {
  readonly functions: Record<FunctionName, LambdaFunction>;

  constructor(scope: Construct, id: string, props: ProductFunctionsProps) {
    super(scope, id);
    const functions = {} as Record<FunctionName, LambdaFunction>;
    const bundles = new CatalogueBundles(functionNames.map((name) => specOf(name).entry));
    for (const name of functionNames) {
      const spec = specOf(name);
      const environment: Record<string, string> = {};
      for (const setting of settingsOf(spec)) {
        const value = props.settings[setting];
        if (value !== undefined) environment[setting] = value;
      }
      const fn = new SecFunction(this, name, {
        code: bundles.code(spec.entry),
        description: spec.description,
        environment,
        serviceName: props.serviceName,
        ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
        ...(props.fixedNames?.[name] ? { functionName: props.fixedNames[name] } : {}),
      }).function;
      grantUses(fn, spec.uses, props.resources);
      functions[name] = fn;
    }
    this.functions = functions;
  }
}

/** The IAM statements a catalogue entry's `uses` stand for (the state machine's own direct integrations too). */
export const grantUses = (grantee: IGrantable, uses: Uses, r: ProductResources): void => {
  const add = (actions: string[], resources: string[]) => grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
  const itemActions = uses.table ?? [];
  if (itemActions.length)
    add(
      itemActions.map((a) => `dynamodb:${a}`),
      [r.table.tableArn],
    );
  if (uses.indexes?.length)
    add(
      ['dynamodb:Query'],
      uses.indexes.map((index) => `${r.table.tableArn}/index/${index}`),
    );
  if (itemActions.length || uses.indexes?.length) {
    // DynamoDB uses the table's customer-managed key with the caller's permissions: Decrypt to read
    // the table key, and for writers the calls that encrypt under it.
    const writes = itemActions.some((a) => !DYNAMODB_READS.has(a));
    add(writes ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'], [r.tableKey.keyArn]);
  }
  if (uses.linkKeyring) {
    add(['secretsmanager:GetSecretValue'], [r.keyring.secretArn]);
    add(['kms:Decrypt'], [r.keyringKey.keyArn]);
  }
  // SES authorizes a send against the identity and against the configuration set it names (aws/aws-cdk#34402).
  if (uses.mail) add(['ses:SendEmail'], [r.mailIdentityArn, r.configurationSetArn]);
  const workflow = uses.workflow ?? [];
  const onMachine = workflow.filter((a) => a === 'StartExecution' || a === 'SendTaskSuccess' || a === 'SendTaskFailure');
  if (onMachine.length)
    add(
      onMachine.map((a) => `states:${a}`),
      [r.stateMachineArn],
    );
  const onExecutions = workflow.filter((a) => a === 'DescribeExecution' || a === 'GetExecutionHistory');
  if (onExecutions.length)
    add(
      onExecutions.map((a) => `states:${a}`),
      [r.executionsArn],
    );
  // The anchors' writer may only put new objects (Object Lock keeps every version); a reader lists and gets them.
  if (uses.historyAnchors?.includes('write')) add(['s3:PutObject'], [`${r.historyAnchorBucketArn}/anchors/*`]);
  if (uses.historyAnchors?.includes('read')) {
    add(['s3:ListBucket'], [r.historyAnchorBucketArn]);
    add(['s3:GetObject'], [`${r.historyAnchorBucketArn}/anchors/*`]);
  }
  if (uses.accessTokenKey?.length)
    add(
      uses.accessTokenKey.map((a) => `kms:${a}`),
      [r.accessTokenKey.keyArn],
    );
  if (uses.annualReviewSchedules) {
    add(uses.annualReviewSchedules === 'move' ? ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'] : ['scheduler:CreateSchedule'], [
      r.annualReviewSchedulesArn,
    ]);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [r.annualReviewSchedulerRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
};
