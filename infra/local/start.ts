import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { recordDemoProvider } from './demo-register';
import { sampleNotification } from './sample-notification';
import { startSandbox } from './sandbox';
import { eventLine, logDestination, routeFunctionOutput } from './terminal';

/**
 * `npm start`: the whole product on localhost, until Ctrl-C. The terminal shows the banner, then a
 * line per notable event; the functions' logs go to .sandbox/functions.log (SANDBOX_LOGS=terminal:
 * here, a line each). SANDBOX_PORTS=any takes free ports instead of the usual ones (a second
 * sandbox beside a first; the README's test).
 */
const fail = (message: string): never => {
  // A person reads this: the reason, not a stack.
  process.stderr.write(`The sandbox could not start: ${message}\n`);
  process.exit(1);
};

const began = performance.now();
let destination: ReturnType<typeof logDestination> = 'file';
try {
  destination = logDestination(process.env.SANDBOX_LOGS);
} catch (error) {
  fail((error as Error).message);
}
const anyPorts = process.env.SANDBOX_PORTS === 'any';
if (process.env.SANDBOX_PORTS !== undefined && !anyPorts)
  fail(`SANDBOX_PORTS is "${process.env.SANDBOX_PORTS}": leave it unset for the usual ports, or give "any"`);

const directory = '.sandbox';
mkdirSync(directory, { recursive: true });
const logFile = `${directory}/functions.log`;
const output = routeFunctionOutput(destination, logFile);
let ready = false;

const sandbox = await startSandbox({
  ports: anyPorts ? {} : { api: 3000, console: 3001, ses: 8005, dynamodb: 8000, stepFunctions: 8083, secrets: 8084, kms: 8085 },
  ...(process.env.SANDBOX_TIME_SCALE ? { timeScale: Number(process.env.SANDBOX_TIME_SCALE) } : {}),
  onEvent: (event) => {
    if (ready) process.stdout.write(`${eventLine(event)}\n`);
  },
}).catch((error: Error) => fail(error.message));
const seconds = ((performance.now() - began) / 1000).toFixed(1);

// The demo clients, with ready-made tokens: their ids are the same at every start, their key pairs and tokens new.
const credentialsFile = `${directory}/credentials.json`;
const credentials = Object.fromEntries(
  Object.entries(sandbox.credentials).map(([role, c]) => [
    role,
    { name: c.name, clientId: c.clientId, authorization: c.authorization, kid: c.kid, privateKeyPem: c.privateKeyPem },
  ]),
);
writeFileSync(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
// The provider the sample names, with its assessment, in the register of Shared Resource assessments.
const demoProvider = await recordDemoProvider(sandbox.apiUrl, sandbox.credentials.secas.authorization).catch((error: Error) => fail(error.message));
// The sample notification with today's dates: the API refuses dates outside their windows.
const sampleFile = `${directory}/notification.json`;
writeFileSync(sampleFile, `${JSON.stringify(sampleNotification(), null, 2)}\n`);

process.stdout.write(`
Second User System notifications — local sandbox ready in ${seconds} s

  API (HTTP API routes)        ${sandbox.apiUrl}   its OpenAPI description: ${sandbox.apiUrl}/openapi.json
  SECAS console (browser)      ${sandbox.consoleUrl}   the register of SEC Users and its forms: ${sandbox.consoleUrl}/users
                               Shared Resource Providers: ${sandbox.consoleUrl}/providers (the sample's: ${demoProvider})
                               the SSC's meeting papers: ${sandbox.consoleUrl}/meetings
  SES inbox (browser)          ${sandbox.sesUrl}
  DynamoDB Local               ${sandbox.dynamodbUrl}   table ${sandbox.tableName}
  Step Functions endpoint      ${sandbox.stepFunctionsUrl}   ${sandbox.stateMachineArn}
  EventBridge Scheduler        ${sandbox.schedulerUrl}   annual-review reminders (one-time schedules)

  Demo clients, with tokens valid 12 hours    ${credentialsFile}
${Object.entries(sandbox.credentials)
  .map(([role, c]) => `    ${role.padEnd(10)} ${c.clientId}   ${c.name}`)
  .join('\n')}
  Fresh tokens                                npm run token -- --sandbox user --url ${sandbox.apiUrl}   (a signed assertion to POST /oauth2/token)
  A sample notification, dated for today      ${sampleFile}
  The functions' logs (Powertools JSON, EMF)  ${destination === 'file' ? `${logFile} (SANDBOX_LOGS=terminal shows them here)` : 'here, a line each'}

Try a case (README, "Try a case"):
  AUTH="$(node -p "require('./${credentialsFile}').user.authorization")"
  curl -i -X POST ${sandbox.apiUrl}/notifications -H "Authorization: $AUTH" -H 'Content-Type: application/json' --data @${sampleFile}
then open the SSC's email in the inbox and follow a decision link.

Ctrl-C stops everything (all data is in memory). What happens, a line each:
`);
ready = true;

const shutdown = async () => {
  // Stopping ends every workflow: not something that happened to a case.
  ready = false;
  await sandbox.stop();
  await output.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
