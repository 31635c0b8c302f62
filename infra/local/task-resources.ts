import * as DynamoDB from '@aws-sdk/client-dynamodb';
import type { WorkflowTaskName } from '../../functions/catalogue';
import { asPrincipal, named, recordAwsCall } from './aws-calls';
import type { TaskResource } from './local-step-functions';
import type { LocalLambda } from './release';

/**
 * Fault injection for the Lambda invocations: the next n invocations of a function crash as
 * a Lambda whose process dies does (Runtime.ExitError), before the handler runs.
 */
export class LambdaFaults {
  private readonly crashes = new Map<string, number>();
  crash(functionName: WorkflowTaskName, times = 1): void {
    this.crashes.set(functionName, times);
  }
  take(functionName: string): boolean {
    const left = this.crashes.get(functionName) ?? 0;
    if (left > 0) this.crashes.set(functionName, left - 1);
    return left > 0;
  }
}

/** The state machine an execution belongs to: the principal of its task integrations (its role). */
const stateMachineOf = (executionArn: string) => `state-machine:${named(executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''))}`;

const lambdaInvoke =
  (faults: LambdaFaults, lambda: LocalLambda): TaskResource =>
  async (parameters, context) => {
    recordAwsCall({ principal: stateMachineOf(context.executionArn), action: 'lambda:InvokeFunction', resource: named(String(parameters.FunctionName)) });
    const functionName = String(parameters.FunctionName).split(':').pop() as string;
    if (!lambda.release.workflowTasks.includes(functionName)) {
      throw Object.assign(new Error(`Function not found: ${functionName}`), { name: 'Lambda.ResourceNotFoundException' });
    }
    if (faults.take(functionName)) {
      throw Object.assign(
        new Error(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: local Error: Runtime exited with error: signal: killed' })),
        {
          name: 'Runtime.ExitError',
        },
      );
    }
    try {
      // The function as deployed now, whichever definition the execution runs: its ARN is unqualified.
      const payload = await lambda.invoke(functionName, parameters.Payload);
      return { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: payload ?? null };
    } catch (error) {
      const e = error as Error;
      // As Lambda reports a function error: Error = errorType, Cause = the error as JSON.
      throw Object.assign(new Error(JSON.stringify({ errorType: e.name, errorMessage: e.message })), { name: e.name });
    }
  };

/** The DynamoDB optimized integrations: the Parameters are the API request as it stands. */
const dynamoCommand = (operation: string, parameters: unknown) => {
  switch (operation) {
    case 'getItem':
      return new DynamoDB.GetItemCommand(parameters as DynamoDB.GetItemCommandInput);
    case 'putItem':
      return new DynamoDB.PutItemCommand(parameters as DynamoDB.PutItemCommandInput);
    case 'updateItem':
      return new DynamoDB.UpdateItemCommand(parameters as DynamoDB.UpdateItemCommandInput);
    case 'deleteItem':
      return new DynamoDB.DeleteItemCommand(parameters as DynamoDB.DeleteItemCommandInput);
    default:
      return undefined;
  }
};

/**
 * What each Task state's Resource does locally. Lambda invocations run the same handler
 * modules the stack deploys; DynamoDB integrations send the same request to the local
 * DynamoDB. Errors carry the names Step Functions gives them, so Retry and Catch match alike.
 */
export const localTaskResources = (faults: LambdaFaults, lambda: LocalLambda): ((resource: string) => TaskResource) => {
  const dynamodb = new DynamoDB.DynamoDBClient({});
  const invoke = lambdaInvoke(faults, lambda);
  return (resource) => {
    if (resource === 'arn:aws:states:::lambda:invoke') return invoke;
    const operation = /^arn:aws:states:::dynamodb:(\w+)$/.exec(resource)?.[1];
    if (operation && ['getItem', 'putItem', 'updateItem', 'deleteItem'].includes(operation)) {
      return async (parameters, context) => {
        try {
          const command = dynamoCommand(operation, parameters) as DynamoDB.UpdateItemCommand;
          const sent = asPrincipal(stateMachineOf(context.executionArn), () => dynamodb.send(command));
          const { $metadata: _metadata, ...result } = (await sent) as unknown as Record<string, unknown>;
          return result;
        } catch (error) {
          const e = error as Error & { $fault?: string };
          throw Object.assign(new Error(e.message), { name: e.$fault ? `DynamoDB.${e.name}` : 'DynamoDB.AmazonDynamoDBException' });
        }
      };
    }
    throw new Error(`local runtime: no local implementation of Task resource ${resource}`);
  };
};
