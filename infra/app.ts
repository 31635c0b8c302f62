import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SecondUserSystemStack } from './stack';

/**
 * The CDK app. cdk-nag's AwsSolutions pack runs on every synth and fails it on any finding
 * not acknowledged, with its reason, where it arises. Synth needs no AWS credentials.
 */
export const buildApp = (app = new App()) => {
  const context = (key: string, fallback = ''): string => String(app.node.tryGetContext(key) ?? fallback);
  const list = (key: string) => context(key).split(',').map((a) => a.trim()).filter(Boolean);
  const stack = new SecondUserSystemStack(app, 'SecondUserSystem', {
    description: 'SECMP0057: Users notify the SSC of a second or subsequent User System',
    senderAddress: context('senderAddress'),
    sscAddresses: list('sscAddress'),
    secasAddresses: list('secasAddress'),
    sesIdentityDomain: context('sesIdentityDomain'),
    publicBaseUrl: context('publicBaseUrl'),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};

if (process.argv[1]?.endsWith('app.ts')) buildApp().app.synth();
