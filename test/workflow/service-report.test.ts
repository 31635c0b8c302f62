import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseStatus } from '../../functions/domain/case';
import { type ServiceReport, computeReport, firstWorkingDayOfQuarter, quarterOf } from '../../functions/domain/service-report';
import { addWorkingDays, londonDate, londonInstant } from '../../functions/domain/working-days';
import { reportCost } from '../../infra/tools/cost-model';
import { itemSize } from '../support/item-size';
import { emailsTo } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The service report through the sandbox: cases filed, decided and questioned through the API and
 * the SSC's links, then the report read through GET /reports as JSON, CSV and a page (and refused
 * for ranges the data cannot hold), and the quarterly email arriving in the local SES when
 * SendQuarterlyReport runs on the first Working Day of the next quarter (its event's time pinned).
 */
const w = useWorkflow();
const today = londonDate(new Date());
/** This file's table holds only its own cases: a week back to today covers them all (and nothing else). */
const range = { from: addWorkingDays(today, -5), to: today };
const references: Record<'deferred' | 'assessed' | 'questioned' | 'waiting', string> = { deferred: '', assessed: '', questioned: '', waiting: '' };

beforeAll(async () => {
  references.deferred = (await w.submit()).reference;
  references.assessed = (await w.submit((b) => (b.newUserSystem.alreadyInUse = true))).reference;
  references.questioned = (await w.submit()).reference;
  references.waiting = (await w.submit()).reference;
  await w.decide(references.deferred, 'defer-to-annual-review');
  await w.decide(references.assessed, 'ad-hoc-assessment');
  await w.decide(references.questioned, 'more-information', 'Which CIO assessed the provider?');
  await w.waitForStatus(references.questioned, 'AwaitingUserInformation');
  expect((await w.post(`/notifications/${references.questioned}/information`, { answer: 'Acme CIO Ltd.' })).status).toBe(202);
  await w.decide(references.questioned, 'out-of-scope', 'Not a User System.', 2);
  await w.waitForStatus(references.deferred, 'DeferredToAnnualReview');
  await w.waitForStatus(references.assessed, 'AwaitingAssessmentSchedule');
  await w.waitForStatus(references.questioned, 'OutOfScope');
  await w.sscEmail(references.waiting);
}, 120_000);

const report = async (query: string, headers: Record<string, string> = {}) => w.ctx.api('secas').fetch(`/reports?${query}`, { headers });

describe('GET /reports', () => {
  it('reports the notices received in the range as JSON, counted as the API shows each case', async () => {
    const response = await report(`from=${range.from}&to=${range.to}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as ServiceReport;
    expect(body.notices).toMatchObject({ total: 4, onTime: 3, late: 1 });
    expect(body.decisions).toEqual({ byOutcome: { DeferToAnnualReview: 1, AdHocAssessment: 1, OutOfScope: 1 }, undecided: 1 });
    expect(body.questions).toMatchObject({ asked: 1, answered: 1, unanswered: 0 });
    expect(body.openCases).toEqual({ total: 3, byWhoseMove: { SSC: 1, User: 0, SECAS: 1, AnnualReview: 1, Workflow: 0 } });
    expect(body.adHocAssessments).toMatchObject({ total: 1, awaitingOutcome: 1 });
    // The same figures as the domain computes from each case read whole through GET /notifications/{reference}.
    const cases = await Promise.all(Object.values(references).map((r) => w.getCase(r, 'secas')));
    const expected = computeReport(
      range,
      cases.map((c) => ({
        reference: c.reference,
        status: c.status,
        late: c.late,
        receivedAt: c.receivedAt,
        partyCategory: c.notification.party.category,
        informationRounds: c.informationExchanges.length,
        ...(c.sscDecision ? { sscDecision: c.sscDecision } : {}),
        ...(c.assessment ? { assessment: c.assessment } : {}),
        exchanges: c.informationExchanges,
      })),
      new Date(body.generatedAt),
    );
    expect(body).toEqual(expected);
  });

  it('answers CSV by the Accept header, and a page by `format`', async () => {
    const csv = await report(`from=${range.from}&to=${range.to}`, { Accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('"Section","Measure","Value"');
    expect(text).toContain('"Notices received","All notices","4"');
    expect(text).toContain(`"The SSC's decisions","Out of scope: not a new User System","1"`);
    const page = await report(`from=${range.from}&to=${range.to}&format=html`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<main');
  });

  it('refuses with a 422 naming the field: a reversed range, one ending after today, one before the calendar, a date that is none', async () => {
    const tomorrow = new Date(new Date(`${today}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    for (const [query, pointer] of [
      [`from=${today}&to=${range.from}`, '/to'],
      [`from=${range.from}&to=${tomorrow}`, '/to'],
      [`from=2017-12-31&to=${today}`, '/from'],
      [`from=2026-13-01&to=${today}`, '/from'],
      [`to=${today}`, '/from'],
    ] as const) {
      const response = await report(query);
      expect(response.status, query).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as { errors: Array<{ pointer: string }> };
      expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
    }
  });

  it('is for SECAS only', async () => {
    expect((await w.ctx.api('user').get(`/reports?from=${range.from}&to=${range.to}`)).status).toBe(403);
  });
});

describe("a report's reads", () => {
  it('cost, for 10 000 cases like these, what README.md says: under a cent', async () => {
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: w.ctx.sandbox.dynamodbUrl }));
    const partition = async (reference: string) =>
      (
        await documents.send(
          new QueryCommand({
            TableName: w.ctx.sandbox.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `CASE#${reference}` },
          }),
        )
      ).Items ?? [];
    const items = await Promise.all(Object.values(references).map(partition));
    const caseBytes = items.map((p) => itemSize(p.find((i) => i.sk === 'CASE')));
    const exchangeBytes = items.map((p) => p.filter((i) => String(i.sk).startsWith('EXCHANGE#')).reduce((n, i) => n + itemSize(i), 0)).filter((n) => n > 0);
    const mean = (values: number[]) => Math.round(values.reduce((n, v) => n + v, 0) / values.length);
    const reads = {
      cases: 10_000,
      caseItemBytes: mean(caseBytes),
      casesWithQuestions: Math.round((10_000 * exchangeBytes.length) / caseBytes.length),
      exchangeBytesPerCase: mean(exchangeBytes),
      statuses: CaseStatus.options.length,
    };
    const cost = reportCost(reads);
    process.stdout.write(`service report over 10 000 cases like these (${JSON.stringify(reads)}): ${JSON.stringify(cost)}\n`);
    expect(cost.usd).toBeLessThan(0.01);
  });
});

describe('SendQuarterlyReport', () => {
  const nextQuarterStarts = firstWorkingDayOfQuarter(addWorkingDays(quarterOf(today).to, 1));
  const quarter = quarterOf(today).name;

  it("does nothing on a day that is not a quarter's first Working Day", async () => {
    const run = (await w.ctx.sandbox.runScheduledTask('SendQuarterlyReport', londonInstant(addWorkingDays(nextQuarterStarts, 1), '07:00'))) as {
      sent: boolean;
    };
    expect(run.sent).toBe(false);
  });

  it("emails SECAS the last quarter's report on the first Working Day of the next, once", async () => {
    const at = londonInstant(nextQuarterStarts, '07:00');
    const run = (await w.ctx.sandbox.runScheduledTask('SendQuarterlyReport', at)) as { sent: boolean; quarter: string; notices: number };
    expect(run).toMatchObject({ sent: true, quarter, notices: 4 });
    const subject = `report for ${quarter.replace('-', ' ')}`;
    const emails = (await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.includes(subject));
    expect(emails).toHaveLength(1);
    expect(emails[0]?.body.text).toContain('All notices: 4');
    expect(emails[0]?.body.html).toContain('<table');
    // A second run that day (a retry) sends nothing more.
    expect(((await w.ctx.sandbox.runScheduledTask('SendQuarterlyReport', new Date(at.getTime() + 3_600_000))) as { sent: boolean }).sent).toBe(false);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.includes(subject))).toHaveLength(1);
  });
});
