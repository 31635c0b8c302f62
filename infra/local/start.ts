import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sampleNotification } from './sample-notification';
import { startSandbox } from './sandbox';

/** `npm start`: the whole product on localhost, until Ctrl-C. */
const began = performance.now();
const sandbox = await startSandbox({
  ports: { api: 3000, console: 3001, ses: 8005, dynamodb: 8000, stepFunctions: 8083, secrets: 8084 },
  ...(process.env.SANDBOX_TIME_SCALE ? { timeScale: Number(process.env.SANDBOX_TIME_SCALE) } : {}),
}).catch((error: Error) => {
  // A person reads this: the reason, not a stack.
  process.stderr.write(`The sandbox could not start: ${error.message}\n`);
  process.exit(1);
});
const seconds = ((performance.now() - began) / 1000).toFixed(1);

// Demo credentials for curl: the sandbox's keys are new at every start, so these are too.
const credentialsFile = '.sandbox/credentials.json';
mkdirSync('.sandbox', { recursive: true });
const credentials = Object.fromEntries(
  Object.entries(sandbox.credentials).map(([role, c]) => [
    role,
    { name: c.name, clientId: c.clientId, clientSecret: c.clientSecret, authorization: c.authorization },
  ]),
);
writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
// The sample notification with today's dates: the API refuses dates outside their windows.
const sampleFile = '.sandbox/notification.json';
writeFileSync(sampleFile, `${JSON.stringify(sampleNotification(), null, 2)}\n`);

process.stdout.write(`
Second User System notifications — local sandbox ready in ${seconds} s

  API (HTTP API routes)        ${sandbox.apiUrl}
  API description (OpenAPI)    ${sandbox.apiUrl}/openapi.json
  SECAS console (browser)      ${sandbox.consoleUrl}
  SES inbox (open in browser)  ${sandbox.sesUrl}
  DynamoDB Local               ${sandbox.dynamodbUrl}   table ${sandbox.tableName}
  Step Functions endpoint      ${sandbox.stepFunctionsUrl}   ${sandbox.stateMachineArn}
  EventBridge Scheduler        ${sandbox.schedulerUrl}   annual-review reminders (one-time schedules)

Demo credentials (valid 12 hours) in ${credentialsFile}:
${Object.entries(sandbox.credentials)
  .map(([role, c]) => `  ${role.padEnd(10)} ${c.name}\n             Authorization: ${c.authorization}`)
  .join('\n')}
  Fresh tokens: POST ${sandbox.apiUrl}/oauth2/token (HTTP Basic clientId:clientSecret, grant_type=client_credentials).

Try it:
  AUTH="$(node -p "require('./${credentialsFile}').user.authorization")"
  curl -i -X POST ${sandbox.apiUrl}/notifications -H "Authorization: $AUTH" -H 'Content-Type: application/json' --data @${sampleFile}
  then open the SSC email in the inbox and follow a decision link.

Ctrl-C stops everything (all data is in memory).
`);

const shutdown = async () => {
  await sandbox.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
