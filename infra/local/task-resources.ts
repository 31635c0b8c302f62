import * as DynamoDB from '@aws-sdk/client-dynamodb';
import { type WorkflowTaskName, workflowTasks } from '../../functions/catalogue';
import { lambdaContext } from './lambda-context';
import { loadHandler } from './load-handler';
import type { TaskResource } from './local-step-functions';

/**
 * What each Task state's Resource does locally. Lambda invocations run the same handler
 * modules the stack deploys; DynamoDB integrations send the same request to the local
 * DynamoDB. Errors carry the names Step Functions gives them, so Retry and Catch match alike.
 */
type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;


const lambdaInvoke: TaskResource = async (parameters) => {
  const functionName = String(parameters.FunctionName).split(':').pop() as string;
  if (!(functionName in workflowTasks)) {
    throw Object.assign(new Error(`Function not found: ${functionName}`), { name: 'Lambda.ResourceNotFoundException' });
  }
  const handler = await loadHandler<Handler>(workflowTasks[functionName as WorkflowTaskName]);
  try {
    const payload = await handler(parameters.Payload, lambdaContext(functionName));
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

export const localTaskResources = (): ((resource: string) => TaskResource) => {
  const dynamodb = new DynamoDB.DynamoDBClient({});
  return (resource) => {
    if (resource === 'arn:aws:states:::lambda:invoke') return lambdaInvoke;
    const operation = /^arn:aws:states:::dynamodb:(\w+)$/.exec(resource)?.[1];
    if (operation && ['getItem', 'putItem', 'updateItem', 'deleteItem'].includes(operation)) {
      return async (parameters) => {
        try {
          const command = dynamoCommand(operation, parameters) as DynamoDB.UpdateItemCommand;
          const { $metadata: _metadata, ...result } = (await dynamodb.send(command)) as unknown as Record<string, unknown>;
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
