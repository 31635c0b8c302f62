import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { type WorkflowTaskName, routes, workflowTasks } from '../functions/catalogue';
import { DecisionLinkKeyring } from './constructs/decision-link-keyring';
import { NotificationsApi } from './constructs/notifications-api';
import { NotificationsTable } from './constructs/notifications-table';
import { SecFunction } from './constructs/sec-function';
import { SecMail } from './constructs/sec-mail';
import { SscTriageWorkflow } from './constructs/ssc-triage-workflow';

export interface SecondUserSystemStackProps extends StackProps {
  senderAddress: string;
  sscAddresses: string[];
  secasAddresses: string[];
  sesIdentityDomain: string;
  /** Base URL of the decision links; the API's own endpoint when empty. */
  publicBaseUrl?: string;
  /** Hard limit on the SSC's decision wait, in days. */
  sscDecisionHardLimitDays?: number;
  decisionLinkValidityDays?: number;
}

/**
 * SECMP0057 notifications of a second or subsequent User System: the API, the SSC triage
 * workflow, the table, the mail, and the link keys, wired with least-privilege grants.
 */
export class SecondUserSystemStack extends Stack {
  constructor(scope: Construct, id: string, props: SecondUserSystemStackProps) {
    super(scope, id, props);
    const { table } = new NotificationsTable(this, 'NotificationsTable');
    const { secret: keyring } = new DecisionLinkKeyring(this, 'DecisionLinkKeyring');
    const mail = new SecMail(this, 'SecMail', { identityDomain: props.sesIdentityDomain });

    const environment = {
      TABLE_NAME: table.tableName,
      SENDER_ADDRESS: props.senderAddress,
      SSC_ADDRESSES: props.sscAddresses.join(','),
      SECAS_ADDRESSES: props.secasAddresses.join(','),
      LINK_KEYRING_SECRET_ID: keyring.secretArn,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      SSC_DECISION_HARD_LIMIT_DAYS: String(props.sscDecisionHardLimitDays ?? 42),
      DECISION_LINK_VALIDITY_DAYS: String(props.decisionLinkValidityDays ?? 60),
    };
    const sendsMail = (fn: IFunction) => mail.identity.grantSendEmail(fn);

    // Workflow tasks first: the state machine needs their ARNs, the API needs the state machine.
    const taskFunctions = {} as Record<WorkflowTaskName, IFunction>;
    for (const [name, entry] of Object.entries(workflowTasks) as Array<[WorkflowTaskName, string]>) {
      const fn = new SecFunction(this, `${name}Function`, { entry, description: `SscTriageWorkflow task ${name}`, environment }).function;
      table.grantReadWriteData(fn);
      sendsMail(fn);
      taskFunctions[name] = fn;
    }
    keyring.grantRead(taskFunctions.RequestSscDecision);

    const workflow = new SscTriageWorkflow(this, 'SscTriageWorkflow', { table, tasks: taskFunctions });

    const routeFunctions: Record<string, IFunction> = {};
    for (const route of routes) {
      if (routeFunctions[route.name]) continue;
      const fn = new SecFunction(this, `${route.name}Function`, {
        entry: route.entry,
        description: `API ${route.method} ${route.path}`,
        environment: route.name === 'SubmitNotification' ? { ...environment, STATE_MACHINE_ARN: workflow.stateMachine.stateMachineArn } : environment,
        timeout: Duration.seconds(10),
      }).function;
      routeFunctions[route.name] = fn;
    }
    table.grantReadWriteData(routeFunctions.SubmitNotification as IFunction);
    workflow.stateMachine.grantStartExecution(routeFunctions.SubmitNotification as IFunction);
    table.grantReadData(routeFunctions.GetNotification as IFunction);
    table.grantReadData(routeFunctions.DecisionPage as IFunction);
    keyring.grantRead(routeFunctions.DecisionPage as IFunction);
    table.grantReadWriteData(routeFunctions.TakeDecision as IFunction);
    keyring.grantRead(routeFunctions.TakeDecision as IFunction);
    workflow.stateMachine.grantTaskResponse(routeFunctions.TakeDecision as IFunction);

    const api = new NotificationsApi(this, 'NotificationsApi', { handlers: routeFunctions });
    // Only the function that writes the SSC's links needs the public URL; the pages post back relatively.
    (taskFunctions.RequestSscDecision as SecFunction['function']).addEnvironment(
      'PUBLIC_BASE_URL',
      props.publicBaseUrl || api.httpApi.apiEndpoint,
    );

    new CfnOutput(this, 'ApiUrl', { value: api.httpApi.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'NotificationsTableName', { value: table.tableName });
  }
}
