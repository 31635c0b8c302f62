import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app';

/** cdk.json's context: the feature flags and defaults `cdk synth` runs with. */
export const cdkContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

export const testContext = {
  senderAddress: 'ssc-notifications@secas.example.org',
  sscAddress: 'ssc@secas.example.org',
  secasAddress: 'secas@secas.example.org',
  sesIdentityDomain: 'secas.example.org',
};

export interface Synthesized {
  app: App;
  records: Template;
  service: Template;
  recordsName: string;
  serviceName: string;
  /** The stacks themselves (logical ids of constructs, e.g. each catalogue function's). */
  stacks: ReturnType<typeof buildApp>;
}

/**
 * The app as `cdk synth` builds it (cdk.json's context, cdk-nag's AwsSolutions checks on: an
 * unacknowledged finding throws), with the test's context over it. Without `bundle`, the
 * functions' code is not bundled (CDK's `aws:cdk:bundling-stacks`), which the templates' shape
 * does not depend on.
 */
export const synth = (context: Record<string, unknown> = {}, { bundle = false } = {}): Synthesized => {
  const app = new App({ context: { ...cdkContext(), ...testContext, ...context, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  const stacks = buildApp(app);
  const { records, service } = stacks;
  app.synth();
  return {
    app,
    records: Template.fromStack(records),
    service: Template.fromStack(service),
    recordsName: records.stackName,
    serviceName: service.stackName,
    stacks,
  };
};

export type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
export const actions = (s: Statement) => [s.Action].flat();

/** The statements of the IAM policies attached to the roles whose logical ids start with `rolePrefix`. */
export const statementsOf = (template: Template, rolePrefix: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify((policy as { Properties: { Roles: unknown } }).Properties.Roles).includes(rolePrefix))
    .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
