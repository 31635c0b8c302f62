import { Aws, Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type WorkflowTaskName, workflowUses } from '../../functions/catalogue';
import { SSC_TRIAGE_ASL, definitionSubstitutions } from '../workflow-definition';
import { type ProductResources, grantUses } from './product-functions';

export interface SscTriageWorkflowProps {
  resources: ProductResources;
  tasks: Record<WorkflowTaskName, IFunction>;
  /** Fixed, so that the tasks that resume their own wait can be granted it without a reference cycle. */
  stateMachineName: string;
}

/**
 * SscTriageWorkflow: the Standard state machine that carries each case (one execution per
 * case, named after its reference, as long as its deadline waits: a deferral to the annual
 * review ends it, the reminder being a schedule of its own). A year is the backstop, alarmed
 * (only a case asked question after question could reach it). Its definition is the ASL file
 * the local sandbox runs too; only the substitutions differ.
 */
export class SscTriageWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: SscTriageWorkflowProps) {
    super(scope, id);
    // Under /aws/vendedlogs/ Step Functions needs no entry in the account's (size-capped) CloudWatch
    // Logs resource policy (aws-cdk#28900). Retained, so named after this stack instance (its id's
    // UUID): a stack created again after a delete makes a new group instead of colliding.
    const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    const logs = new LogGroup(this, 'Logs', {
      logGroupName: Fn.join('', ['/aws/vendedlogs/states/', props.stateMachineName, '-', stackUuid]),
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(SSC_TRIAGE_ASL),
      definitionSubstitutions: definitionSubstitutions((task) => props.tasks[task].functionArn, props.resources.table.tableName),
      tracingEnabled: true,
      // Execution data stays in the console's history; logs carry events only (notifications are confidential).
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.days(365),
    });
    // The ASL invokes unqualified ARNs, so no "<arn>:*" version wildcard is needed.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: Object.values(props.tasks).map((fn) => fn.functionArn) }),
    );
    grantUses(this.stateMachine, workflowUses, props.resources);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only the CloudWatch Logs delivery and X-Ray actions, which accept no resource narrower than *.',
    });
  }
}
