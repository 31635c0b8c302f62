import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import definition from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { startSesLocal } from '../../infra/local/ses-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbUrl: string;
    sesUrl: string;
    coverageDir: string;
    sweepDir: string;
    awsCallsDir: string;
  }
}

/** The real local servers the integration and workflow tests talk to over HTTP. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDbLocal();
  const ses = await startSesLocal();
  const coverageDir = mkdtempSync(join(tmpdir(), 'ssc-state-coverage-'));
  // Each test file's AWS calls and setting reads (test/support/record-aws-calls.ts), checked at the end.
  const awsCallsDir = mkdtempSync(join(tmpdir(), 'ssc-aws-calls-'));
  const sweepDir = mkdtempSync(join(tmpdir(), 'ssc-mail-sweep-'));
  project.provide('dynamodbUrl', dynamodb.url);
  project.provide('sesUrl', ses.url);
  project.provide('coverageDir', coverageDir);
  project.provide('awsCallsDir', awsCallsDir);
  project.provide('sweepDir', sweepDir);
  return async () => {
    await dynamodb.stop();
    await new Promise((resolve) => ses.server.close(resolve));
    const failures: string[] = [];
    reportMailSweep(sweepDir);
    try {
      reportStateCoverage(coverageDir);
    } catch (error) {
      failures.push((error as Error).message);
    }
    try {
      // Loaded here: the CDK app and the IAM evaluator are needed only once the run is over.
      const { reportPermissions } = await import('./permissions/report');
      const { testFiles } = await project.globTestFiles();
      failures.push(...(await reportPermissions(awsCallsDir, testFiles, project.config.root)));
    } finally {
      rmSync(awsCallsDir, { recursive: true, force: true });
    }
    if (failures.length) throw new Error(failures.join('\n'));
  };
}

/** What the mail scanner's sweep over every file's emails did (test/support/mail-sweep.ts); each file fails on its own if a submission acted. */
const reportMailSweep = (dir: string) => {
  const results = readdirSync(dir).map(
    (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { emails: number; unswept: number; links: number; submissions: number },
  );
  rmSync(dir, { recursive: true, force: true });
  if (results.length === 0) return;
  const sum = (key: 'emails' | 'unswept' | 'links' | 'submissions') => results.reduce((n, r) => n + r[key], 0);
  process.stdout.write(
    `\nMail scanner sweep: ${sum('emails')} emails of ${results.length} test files (${sum('unswept')} more of kinds already swept left out), ${sum('links')} links opened, ${sum('submissions')} form submissions, none acted\n`,
  );
};

/**
 * Which states of the ASL file the workflow tests visited, and what each named path cost.
 * Runs only when workflow tests ran; an unvisited state fails the run.
 */
const reportStateCoverage = (dir: string) => {
  const reports = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { visited: string[]; paths: Array<Record<string, unknown>> });
  rmSync(dir, { recursive: true, force: true });
  if (reports.length === 0) return;
  const all = Object.keys(definition.States);
  const visited = new Set(reports.flatMap((r) => r.visited));
  const missing = all.filter((s) => !visited.has(s));
  const paths = reports.flatMap((r) => r.paths).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const lines = [
    '',
    `SscTriageWorkflow state coverage: ${all.length - missing.length} of ${all.length} states`,
    ...(missing.length ? [`  not visited: ${missing.join(', ')}`] : []),
    'Paths (state transitions, Lambda invocations, execution status, days the execution ran on the case clock):',
    ...paths.map(
      (p) =>
        `  ${String(p.name).padEnd(72)} ${String(p.transitions).padStart(3)} ${String(p.lambdaInvocations).padStart(3)}  ${String(p.status).padEnd(9)} ${typeof p.caseDays === 'number' ? p.caseDays.toFixed(1).padStart(6) : '     —'}`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  // Only a full run can cover every state; a run of a few files just reports.
  if (missing.length && process.env.REQUIRE_FULL_STATE_COVERAGE) throw new Error(`ASL states not visited by any workflow test: ${missing.join(', ')}`);
};
