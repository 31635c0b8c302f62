import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';

/** The app refuses a bad setting before it builds anything (the settings' own rules: test/unit, infra/app-context.ts). */
describe("the CDK app's settings", () => {
  it('fails the app built with a schedule that would erase before a case could end, naming the class', () => {
    const context = { senderAddress: 'a@secas.example.org', sscAddress: 'b@secas.example.org', secasAddress: 'c@secas.example.org' };
    expect(() => buildApp(new App({ context: { ...context, retention: '{"freeTexts":12}' } }))).toThrow(
      /context retention: freeTexts 12 months is shorter than the longest a case can stay open \(24 months\)/,
    );
  });
});
