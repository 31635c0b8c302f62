import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseDeadlines, parseRetention, parseSscMeetings, stageName, workingDayDataErrors } from './app-context';
import { SecondUserSystemRecords } from './stacks/records-stack';
import { SecondUserSystemService } from './stacks/service-stack';

/**
 * The app: for one stage, the stateful stack (cases, keys, identities, schedules: retained,
 * termination-protected) and the stateless one that reads it (functions, workflow, API, monitoring).
 * cdk-nag's AwsSolutions pack runs on every synth and fails it on any finding not acknowledged,
 * with its reason, where it arises. Synth needs no AWS credentials.
 */
export const buildApp = (app = new App()) => {
  const context = (key: string, fallback = ''): string => String(app.node.tryGetContext(key) ?? fallback);
  const list = (key: string) =>
    context(key)
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  const stage = stageName(context('stage', 'prod'));
  const dataErrors = workingDayDataErrors();
  if (dataErrors.length) throw new Error(dataErrors.join('; '));
  // Region-specific (the table's customer-managed key needs it); account-agnostic, so synth needs no credentials.
  const env = { region: context('region', 'eu-west-2'), ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}) };
  const secasAddresses = list('secasAddress');
  const alarmAddresses = list('alarmAddresses');
  const records = new SecondUserSystemRecords(app, `SecondUserSystem-${stage}-Records`, {
    env,
    description: `SECMP0057 second User System notifications (${stage}): cases, keys, identities and schedules`,
    sesIdentityDomain: context('sesIdentityDomain'),
    alarmAddresses: alarmAddresses.length ? alarmAddresses : secasAddresses,
  });
  const service = new SecondUserSystemService(app, `SecondUserSystem-${stage}-Service`, {
    env,
    description: `SECMP0057 second User System notifications (${stage}): the API, the SSC triage workflow and their functions`,
    records,
    stage,
    senderAddress: context('senderAddress'),
    sscAddresses: list('sscAddress'),
    secasAddresses,
    publicBaseUrl: context('publicBaseUrl'),
    // e.g. -c 'deadlines={"userInformationWorkingDays":15}'; unset values keep their defaults.
    deadlines: parseDeadlines(app.node.tryGetContext('deadlines')),
    sscMeetings: parseSscMeetings(app.node.tryGetContext('sscMeetings')),
    retention: parseRetention(app.node.tryGetContext('retention')),
  });
  service.addStackDependency(records);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, records, service };
};

if (process.argv[1]?.endsWith('app.ts')) buildApp().app.synth();
