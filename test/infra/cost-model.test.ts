import { beforeAll, describe, expect, it } from 'vitest';
import {
  atRest,
  type CaseProfile,
  type CfnTemplate,
  COGNITO_M2M_APP_CLIENT,
  CLOUDWATCH_ALARM_METRIC,
  type Facts,
  inventoryOf,
  KMS_KEY,
  type Load,
  meanProfile,
  running,
  total,
} from '../../infra/tools/cost-model';
import { STATED_LOAD, standingWork, USERS } from '../../infra/tools/cost-table';
import { synth } from './synth';

const perCase: CaseProfile = { apiRequests: 3, lambdaInvocations: 8, transitions: 13, emails: 5, dynamoReads: 12, dynamoWrites: 10 };
const load: Load = { ...STATED_LOAD, readsPerCall: 2 };

let facts: Facts;
let templates: { records: CfnTemplate; service: CfnTemplate };
beforeAll(() => {
  const { records, service } = synth();
  templates = { records: records.toJSON() as CfnTemplate, service: service.toJSON() as CfnTemplate };
  facts = { inventory: inventoryOf(templates.records, templates.service), standing: standingWork() };
}, 120_000);

const count = (type: string) => [templates.records, templates.service].flatMap((t) => Object.values(t.Resources ?? {})).filter((r) => r.Type === type);
const usdOf = (items: ReturnType<typeof atRest>, prefix: string) => items.find((i) => i.item.startsWith(prefix))?.usd ?? Number.NaN;

describe('what is deployed, counted from the synthesized stacks', () => {
  it('counts every alarm, dashboard, key and secret of both stacks', () => {
    const { inventory } = facts;
    expect(inventory.alarms).toBe(count('AWS::CloudWatch::Alarm').length);
    expect(inventory.alarms).toBeGreaterThan(0);
    expect(inventory.dashboards).toBe(count('AWS::CloudWatch::Dashboard').length);
    expect(inventory.symmetricKeys + inventory.signingKeys).toBe(count('AWS::KMS::Key').length);
    expect(inventory.secrets).toBe(count('AWS::SecretsManager::Secret').length);
    expect(inventory.alarmMetrics).toBeGreaterThanOrEqual(inventory.alarms);
  });

  it('bills a metric-math alarm for each metric it reads, and finds the rate rules', () => {
    const mathAlarm = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [
          { Id: 'a', MetricStat: {} },
          { Id: 'b', MetricStat: {} },
          { Id: 'e', Expression: 'a/b' },
        ],
      },
    };
    const rule = {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(1 hour)', Targets: [{ Arn: { 'Fn::GetAtt': ['FunctionsSweepFunction1', 'Arn'] } }] },
    };
    const inventory = inventoryOf({ Resources: { A: mathAlarm, R: rule } });
    expect(inventory).toMatchObject({ alarms: 1, alarmMetrics: 2, scheduledRunsPerMonth: { FunctionsSweepFunction1: 730 } });
  });

  it('prices one more alarm or key in a template at its list price', () => {
    const more: CfnTemplate = {
      Resources: {
        ...templates.service.Resources,
        ExtraAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
        ExtraKey: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    };
    const grown: Facts = { ...facts, inventory: inventoryOf(templates.records, more) };
    for (const design of ['before', 'after'] as const)
      expect(total(atRest(design, 10, grown)) - total(atRest(design, 10, facts))).toBeCloseTo(CLOUDWATCH_ALARM_METRIC.usd + KMS_KEY.usd, 10);
  });
});

describe('the bill', () => {
  it('after, at rest, is the same for any number of Users', () => {
    const bills = [1, ...USERS, 5000].map((users) => total(atRest('after', users, facts)));
    for (const bill of bills) expect(bill).toBeCloseTo(bills[0] as number, 10);
  });

  it('before, at rest, grows by one app client a User', () => {
    for (const users of USERS)
      expect(total(atRest('before', users + 1, facts)) - total(atRest('before', users, facts))).toBeCloseTo(COGNITO_M2M_APP_CLIENT.usd, 10);
    expect(usdOf(atRest('before', 100, facts), 'Cognito app clients')).toBeCloseTo(101 * COGNITO_M2M_APP_CLIENT.usd, 10);
  });

  it('after carries one signing key where before carries the app clients, the rest alike', () => {
    const before = atRest('before', 10, facts);
    const after = atRest('after', 10, facts);
    expect(total(before) - usdOf(before, 'Cognito app clients')).toBeCloseTo(total(after) - usdOf(after, 'KMS signing key'), 10);
    expect(usdOf(after, 'KMS signing key')).toBe(Math.max(1, facts.inventory.signingKeys) * KMS_KEY.usd);
  });

  it('totals are the sums of their line items, each quantity times its price', () => {
    for (const design of ['before', 'after'] as const)
      for (const users of USERS) {
        const items = running(design, users, load, facts, perCase);
        expect(total(items)).toBe(items.reduce((sum, i) => sum + i.usd, 0));
        for (const i of items) expect(i.usd).toBe(i.quantity * i.price.usd);
      }
  });

  it('under load costs more than at rest, by work that grows with the Users', () => {
    for (const design of ['before', 'after'] as const) {
      const extra = (users: number) => total(running(design, users, load, facts, perCase)) - total(atRest(design, users, facts));
      expect(extra(10)).toBeGreaterThan(0);
      expect(extra(100)).toBeCloseTo(10 * extra(10), 10);
    }
  });

  it('a token every N calls: fewer tokens, less to pay for them', () => {
    const tokens = (design: 'before' | 'after', callsPerToken: number) => total(running(design, 100, { ...load, callsPerToken }, facts, perCase));
    for (const design of ['before', 'after'] as const) expect(tokens(design, 10)).toBeLessThan(tokens(design, 1));
  });

  it("a case as the mean of the bench's paths", () => {
    const other: CaseProfile = { apiRequests: 1, lambdaInvocations: 4, transitions: 7, emails: 1, dynamoReads: 2, dynamoWrites: 4 };
    expect(meanProfile([perCase, other])).toEqual({ apiRequests: 2, lambdaInvocations: 6, transitions: 10, emails: 3, dynamoReads: 7, dynamoWrites: 7 });
  });
});
