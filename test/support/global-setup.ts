import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { startSesLocal } from '../../infra/local/ses-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbUrl: string;
    sesUrl: string;
  }
}

/** The real local servers the integration and workflow tests talk to over HTTP. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDbLocal();
  const ses = await startSesLocal();
  project.provide('dynamodbUrl', dynamodb.url);
  project.provide('sesUrl', ses.url);
  return async () => {
    dynamodb.stop();
    await new Promise((resolve) => ses.server.close(resolve));
  };
}
