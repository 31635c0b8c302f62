import { performance } from 'node:perf_hooks';
import { startSandbox } from './sandbox';

/** `npm start`: the whole product on localhost, until Ctrl-C. */
const began = performance.now();
const sandbox = await startSandbox({
  ports: { api: 3000, ses: 8005, dynamodb: 8000, stepFunctions: 8083, secrets: 8084 },
  ...(process.env.SANDBOX_TIME_SCALE ? { timeScale: Number(process.env.SANDBOX_TIME_SCALE) } : {}),
});
const seconds = ((performance.now() - began) / 1000).toFixed(1);

process.stdout.write(`
Second User System notifications — local sandbox ready in ${seconds} s

  API (HTTP API routes)        ${sandbox.apiUrl}
  SES inbox (open in browser)  ${sandbox.sesUrl}
  DynamoDB Local               ${sandbox.dynamodbUrl}   table ${sandbox.tableName}
  Step Functions endpoint      ${sandbox.stepFunctionsUrl}   ${sandbox.stateMachineArn}

Try it:
  curl -i -X POST ${sandbox.apiUrl}/notifications -H 'Content-Type: application/json' --data @test/fixtures/notification.json
  then open the SSC email in the inbox and follow a decision link.

Ctrl-C stops everything (all data is in memory).
`);

const shutdown = async () => {
  await sandbox.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
