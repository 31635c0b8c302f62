import { ArnFormat, CfnOutput, Lazy, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Construct, IConstruct } from 'constructs';
import type { SettingName } from '../../functions/adapters/config';
import { deadlineEnvironment, meetingEnvironment } from '../../functions/adapters/config';
import { type FunctionName, type WorkflowTaskName, specOf, triggeredBy, workflowTaskNames } from '../../functions/catalogue';
import type { DeadlineSettings } from '../../functions/domain/deadlines';
import { type RetentionSchedule, defaultRetentionSchedule } from '../../functions/domain/retention';
import type { MeetingCalendar } from '../../functions/domain/ssc-meetings';
import { AnnualReviewReminders } from '../constructs/annual-review-reminders';
import { DeliveryProblemTracking } from '../constructs/delivery-problem-tracking';
import { NotificationsApi } from '../constructs/notifications-api';
import { OperationsMonitoring } from '../constructs/operations-monitoring';
import { type ProductResources, ProductFunctions } from '../constructs/product-functions';
import { ScheduledTask } from '../constructs/scheduled-tasks';
import { SecasDashboard } from '../constructs/secas-dashboard';
import { SscTriageWorkflow } from '../constructs/ssc-triage-workflow';
import { WorkflowStatusEvents } from '../constructs/workflow-status-events';
import type { SecondUserSystemRecords } from './records-stack';

export interface SecondUserSystemServiceProps extends StackProps {
  /** The stateful stack of the same stage: what this one reads and writes. */
  records: SecondUserSystemRecords;
  /** The stage (`prod`, `staging`…): part of every name that must be unique in the account. */
  stage: string;
  senderAddress: string;
  sscAddresses: string[];
  secasAddresses: string[];
  /** Base URL of the decision links; the API's own endpoint when empty. */
  publicBaseUrl?: string;
  /** Deadlines in SEC Working Days; unset ones take the defaults of domain/deadlines.ts. */
  deadlines?: Partial<DeadlineSettings>;
  /** The SSC's meeting calendar (validated by the app); the inferred default rule when unset. */
  sscMeetings?: MeetingCalendar;
  /** The retention schedule's defaults (months after a case ends); the documented defaults of domain/retention.ts when unset. */
  retention?: RetentionSchedule;
}

/**
 * The stateless half: every function of the catalogue, the SscTriageWorkflow, the API, the
 * triggers and the monitoring. It holds nothing that a replacement would lose: it can be changed,
 * or deleted and deployed again, and the records stack (cases, keys, identities, schedules) is
 * untouched; waiting cases then go on with the new code (see the README's "Deploying").
 */
export class SecondUserSystemService extends Stack {
  readonly functions: Record<FunctionName, ProductFunctions['functions'][FunctionName]>;

  constructor(scope: Construct, id: string, props: SecondUserSystemServiceProps) {
    // Indented, the template was 829 KB of CloudFormation's 1 MB; the same JSON without indentation is about half.
    super(scope, id, { suppressTemplateIndentation: true, ...props });
    const { records } = props;
    const serviceName = `second-user-system-${props.stage}`;
    const stateMachineName = `${this.stackName}-SscTriageWorkflow`;
    const arn = (service: string, resource: string, resourceName: string) =>
      this.formatArn({ service, resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // Names a schedule stores (see AnnualReviewReminders): fixed by the stack, so they outlive a replacement of it.
    const reminderFunctionName = `${this.stackName}-RemindOfAnnualReview`;
    const reminderRoleName = `${this.stackName}-AnnualReviewInvoker`;
    const reminderQueueName = `${this.stackName}-UndeliveredAnnualReviewReminders`;

    // The annual-review schedules' group: kept if the stack goes (each schedule is a promise to a
    // User, and reaches the fixed names above whichever stack instance wrote it); named by
    // CloudFormation, as a retained group with a fixed name would block the next deploy.
    const schedules = new CfnScheduleGroup(this, 'AnnualReviewSchedules');
    schedules.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const resources: ProductResources = {
      table: records.table,
      tableKey: records.tableKey,
      keyring: records.keyring,
      keyringKey: records.keyringKey,
      accessTokenKey: records.accessTokenKey,
      mailIdentityArn: this.formatArn({ service: 'ses', resource: 'identity', resourceName: records.mail.identity.emailIdentityName }),
      configurationSetArn: this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: records.mail.configurationSet.configurationSetName }),
      stateMachineArn: arn('states', 'stateMachine', stateMachineName),
      executionsArn: arn('states', 'execution', `${stateMachineName}:*`),
      annualReviewSchedulerRoleArn: this.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: reminderRoleName }),
      annualReviewSchedulesArn: this.formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${schedules.ref}/annual-review-*`,
      }),
      historyAnchorBucketArn: records.historyAnchors.bucketArn,
    };

    let apiEndpoint: string | undefined;
    const publicBaseUrl = () => props.publicBaseUrl || (apiEndpoint as string);
    const settings: Partial<Record<SettingName, string>> = {
      TABLE_NAME: records.table.tableName,
      STATE_MACHINE_ARN: resources.stateMachineArn,
      SENDER_ADDRESS: props.senderAddress,
      SES_CONFIGURATION_SET: records.mail.configurationSet.configurationSetName,
      SSC_ADDRESSES: props.sscAddresses.join(','),
      SECAS_ADDRESSES: props.secasAddresses.join(','),
      // The API is built after the functions behind it; the links point at it (or a custom domain).
      PUBLIC_BASE_URL: Lazy.string({ produce: publicBaseUrl }),
      LINK_KEYRING_SECRET_ID: records.keyring.secretArn,
      HISTORY_ANCHOR_BUCKET: records.historyAnchors.bucketName,
      ANNUAL_REVIEW_SCHEDULE_GROUP: schedules.ref,
      ANNUAL_REVIEW_REMINDER_ARN: arn('lambda', 'function', reminderFunctionName),
      ANNUAL_REVIEW_SCHEDULER_ROLE_ARN: resources.annualReviewSchedulerRoleArn,
      ANNUAL_REVIEW_DEAD_LETTER_ARN: this.formatArn({ service: 'sqs', resource: reminderQueueName }),
      ...deadlineEnvironment(props.deadlines),
      ...(props.sscMeetings ? meetingEnvironment(props.sscMeetings) : meetingEnvironment()),
      RETENTION_SCHEDULE: JSON.stringify(props.retention ?? defaultRetentionSchedule),
      // The audience of every client assertion and the access tokens' issuer: the API's own token endpoint.
      TOKEN_ENDPOINT: Lazy.string({ produce: () => `${publicBaseUrl()}/oauth2/token` }),
      ACCESS_TOKEN_KEY_ID: records.accessTokenKey.keyArn,
    };
    const { functions } = new ProductFunctions(this, 'Functions', {
      resources,
      settings,
      serviceName,
      fixedNames: { RemindOfAnnualReview: reminderFunctionName },
    });
    this.functions = functions;

    const tasks = Object.fromEntries(workflowTaskNames.map((name) => [name, functions[name]])) as Record<
      WorkflowTaskName,
      (typeof functions)[WorkflowTaskName]
    >;
    const workflow = new SscTriageWorkflow(this, 'SscTriageWorkflow', { resources, tasks, stateMachineName });

    const api = new NotificationsApi(this, 'NotificationsApi', { handlers: functions, authorizer: functions.AuthorizeRequest });
    apiEndpoint = api.httpApi.apiEndpoint;

    // The asynchronous triggers, each ending in a dead-letter queue for what did not happen.
    const deadLetters: Array<{ queue: ScheduledTask['deadLetters']; name: string; row: string; meaning: string }> = [];
    const keep = (name: FunctionName, queue: ScheduledTask['deadLetters']) => {
      const runbook = specOf(name).runbook;
      deadLetters.push({
        queue,
        name: `${name}DeadLetters`,
        row: runbook?.row ?? 'Function errors',
        meaning: runbook?.deadLetter ?? `An event for ${name} could not be handled after its retries.`,
      });
    };
    for (const { name, trigger } of triggeredBy('every'))
      keep(name, new ScheduledTask(this, `${name}Schedule`, { name, fn: functions[name], everyMinutes: trigger.minutes }).deadLetters);
    for (const { name, trigger } of triggeredBy('workflow-status'))
      keep(
        name,
        new WorkflowStatusEvents(this, `${name}Events`, {
          name,
          stateMachineArn: resources.stateMachineArn,
          handler: functions[name],
          statuses: trigger.statuses,
          redriven: trigger.redriven === true,
        }).deadLetters,
      );
    for (const { name, trigger } of triggeredBy('email-events'))
      keep(
        name,
        new DeliveryProblemTracking(this, 'DeliveryProblemTracking', {
          configurationSetName: records.mail.configurationSet.configurationSetName,
          handler: functions[name],
          detailTypes: trigger.detailTypes,
        }).deadLetters,
      );
    for (const { name } of triggeredBy('annual-review-schedule'))
      keep(
        name,
        new AnnualReviewReminders(this, 'AnnualReviewReminders', {
          reminder: functions[name],
          roleName: reminderRoleName,
          deadLetterQueueName: reminderQueueName,
        }).deadLetters,
      );

    // Executions are named after case references, schedules after cases: known only by prefix.
    for (const name of Object.keys(functions) as FunctionName[]) {
      const fn = functions[name];
      const uses = specOf(name).uses;
      if (uses.workflow?.some((a) => a === 'DescribeExecution' || a === 'GetExecutionHistory'))
        Validations.of(fn.role ?? fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:aws:states:${this.region}:<AWS::AccountId>:execution:${stateMachineName}:*]`,
          reason: "Every execution of this one state machine (they are named after case references); no other state machine's.",
        });
      if (uses.historyAnchors)
        acknowledgeOnceResolved(
          fn.role ?? fn,
          () => `AwsSolutions-IAM5[Resource::${JSON.stringify(this.resolve(records.historyAnchors.bucketArn))}/anchors/*]`,
          'Anchors are named after the time they were taken (anchors/<ISO time>.json), so they are known only by that prefix, in the one bucket.',
        );
      if (uses.annualReviewSchedules)
        Validations.of(fn.role ?? fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:aws:scheduler:${this.region}:<AWS::AccountId>:schedule/<${this.resolve(schedules.logicalId)}>/annual-review-*]`,
          reason: 'Schedules are named after case references (annual-review-<reference>), so they are known only by that prefix, in the one group.',
        });
    }

    const operations = new OperationsMonitoring(this, 'OperationsMonitoring', {
      namePrefix: this.stackName,
      serviceName,
      topic: records.alarmTopic,
      api: api.httpApi,
      table: records.table,
      stateMachine: workflow.stateMachine,
      functions,
      deadLetters,
    });
    new SecasDashboard(this, 'SecasDashboard', {
      dashboardName: `${this.stackName}-SECAS`,
      serviceName,
      api: api.httpApi,
      stateMachine: workflow.stateMachine,
      alarms: operations.facade.createdAlarms().map((a) => a.alarm),
    });

    new CfnOutput(this, 'ApiUrl', { value: api.httpApi.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TokenEndpoint', { value: settings.TOKEN_ENDPOINT as string });
  }
}

/**
 * Acknowledges a validation finding whose id names a resource of the other stack: the finding
 * names the reference as this stack resolves it once the stacks are synthesized, which is not what
 * it resolves to while they are built, and Validations.acknowledge takes the id then (a token in
 * it is never resolved). The acknowledgement's id is therefore read, like the finding's, when the
 * validation reads it.
 */
const acknowledgeOnceResolved = (scope: IConstruct, id: () => string, reason: string): void => {
  const late = new Proxy({} as Record<string, string>, {
    ownKeys: () => [id()],
    getOwnPropertyDescriptor: (_target, key) => (key === id() ? { value: reason, enumerable: true, configurable: true } : undefined),
    get: (_target, key) => (key === id() ? reason : undefined),
  });
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, late);
};
