import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseFileDocument } from '../../functions/domain/case-file';
import type { StoredEvent } from '../../functions/domain/history-chain';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { confirmDecision, linksIn, recordByLink } from '../support/sandbox';
import { type Item, caseItems } from '../support/case-items';
import { useWorkflow } from '../support/workflow';

/**
 * The case file in the sandbox: a case taken through a question and its answer, the SSC's
 * decision and SECAS's assessment date (each person typing their name on their page), then
 * anchored; SECAS's file and the User's, as JSON and as the page, against each other and against
 * the verification route; another User's case and an unknown one; and a chain broken on DynamoDB
 * Local, stated on the file (never a 5xx), then put back so the sandbox's own check still verifies it.
 */
const w = useWorkflow();
const { documents, partition } = caseItems(() => w.ctx.sandbox);

const FIRST_MEMBER = 'Dorothy Vaughan';
const SECOND_MEMBER = 'Katherine Johnson';
const OFFICER = 'Ada Lovelace';
const QUESTION = 'Which User CIO assessed the provider?';
const ANSWER = 'Acme CIO Ltd, report USA-SR-2025-019.';
const ADVICE = 'Please arrange an ad-hoc assessment of the tenant separation.';

const put = (item: Item) => documents().send(new PutCommand({ TableName: w.ctx.sandbox.tableName, Item: item }));

const fileOf = async (reference: string, as: 'secas' | 'user' | 'otherUser', query = '', headers: Record<string, string> = {}) =>
  w.ctx.api(as).fetch(`/notifications/${reference}/case-file${query}`, { headers });
const jsonFile = async (reference: string, as: 'secas' | 'user') => {
  const response = await fileOf(reference, as);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  return CaseFileDocument.parse(await response.json());
};

let reference = '';
let secasFile: CaseFileDocument;

beforeAll(async () => {
  ({ reference } = await w.submit());
  w.path('case file: a question, its answer, an ad-hoc assessment dated through its form', reference);
  const first = await w.sscEmail(reference, 1);
  expect((await confirmDecision(first.link('more-information'), QUESTION, { decidedBy: FIRST_MEMBER })).status).toBe(200);
  await w.waitForStatus(reference, 'AwaitingUserInformation');
  expect((await w.post(`/notifications/${reference}/information`, { answer: ANSWER })).status).toBe(202);
  const second = await w.sscEmail(reference, 2);
  expect((await confirmDecision(second.link('ad-hoc-assessment'), ADVICE, { decidedBy: SECOND_MEMBER })).status).toBe(200);
  await w.waitForDeadline(reference, 'AssessmentSchedule');
  const [link] = linksIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`));
  const scheduledOn = addWorkingDays(londonDate(new Date()), 10);
  expect((await recordByLink(link as string, { scheduledOn, recordedBy: OFFICER })).status).toBe(200);
  await w.waitForDeadline(reference, 'AssessmentOutcome');
  await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
  secasFile = await jsonFile(reference, 'secas');
}, 120_000);

describe('the case file', () => {
  it("is SECAS's complete record, verified by the verification route's own verifier", async () => {
    const verification = await (await w.ctx.api('secas').get(`/notifications/${reference}/verification`)).json();
    expect(secasFile.verification).toEqual(verification);
    expect(secasFile.verification).toMatchObject({ ok: true, anchored: { seq: expect.any(Number) } });
    expect(secasFile).toMatchObject({
      reference,
      audience: 'SECAS',
      withheld: [],
      status: 'AwaitingAssessmentOutcome',
      sscDecision: { kind: 'AdHocAssessment', advice: ADVICE, decidedBy: SECOND_MEMBER },
      informationExchanges: [{ round: 1, question: QUESTION, answer: ANSWER }],
      assessment: { scheduledOn: expect.any(String) },
      deadline: { wait: 'AssessmentOutcome' },
    });
    expect(secasFile.history.map((e) => e.seq)).toEqual(Array.from({ length: secasFile.verification.events }, (_, i) => i + 1));
    const names = secasFile.history.flatMap((e) => e.actor.name ?? []);
    expect(names).toEqual(expect.arrayContaining([FIRST_MEMBER, SECOND_MEMBER, OFFICER]));
    expect(new Set(secasFile.deadlineEvents.filter((d) => d.step === 'DeadlineSet').map((d) => d.wait))).toEqual(
      new Set(['SscDecision', 'UserInformation', 'AssessmentSchedule', 'AssessmentOutcome']),
    );
    expect(secasFile.emails.map((e) => e.toRole ?? 'named')).toEqual(expect.arrayContaining(['SSC', 'User', 'SECAS', 'named']));
    // The whole case as GET /notifications/{reference} shows it is in the file.
    const view = await w.getCase(reference, 'secas');
    expect(secasFile.history).toEqual(view.history);
    expect(secasFile.notice).toEqual(view.notification);
  });

  it("gives the User its own case without the SSC members' and SECAS's names, ids and internal notes, as JSON and as the page", async () => {
    const userFile = await jsonFile(reference, 'user');
    expect(userFile).toMatchObject({ audience: 'User', verification: { ok: true }, informationExchanges: [{ question: QUESTION, answer: ANSWER }] });
    expect(userFile.withheld.length).toBeGreaterThan(0);
    expect(userFile.history.map((e) => e.seq)).toEqual(secasFile.history.map((e) => e.seq));
    const withheld = [
      FIRST_MEMBER,
      SECOND_MEMBER,
      OFFICER,
      secasFile.sscDecision?.decisionId as string,
      ...secasFile.history.filter((e) => e.actor.kind !== 'User').flatMap((e) => e.actor.id ?? []),
    ];
    const addresses = [...w.ctx.sscAddress.split(','), ...w.ctx.secasAddress.split(',')];
    const json = JSON.stringify(userFile);
    const byFormat = await fileOf(reference, 'user', '?format=html');
    const byAccept = await fileOf(reference, 'user', '', { Accept: 'text/html,application/xhtml+xml;q=0.9' });
    for (const response of [byFormat, byAccept]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    const pages = [await byFormat.text(), await byAccept.text()];
    for (const value of withheld) expect(JSON.stringify(secasFile)).toContain(value);
    for (const value of [...withheld, ...addresses]) {
      expect(json).not.toContain(value);
      for (const page of pages) expect(page).not.toContain(value);
    }
    expect(pages[0]).toContain(QUESTION);
    expect(pages[0]).toContain("This is the User's file of its own case");
  });

  it("answers another User's case with the same 404 as the case itself, and an unknown reference or a bad format with a problem", async () => {
    const theCase = await w.ctx.api('otherUser').get(`/notifications/${reference}`);
    const theFile = await fileOf(reference, 'otherUser');
    expect(theFile.status).toBe(404);
    expect(theFile.headers.get('content-type')).toBe('application/problem+json');
    const { instance: _a, ...fileProblem } = (await theFile.json()) as Record<string, unknown>;
    const { instance: _b, ...caseProblem } = (await theCase.json()) as Record<string, unknown>;
    expect(fileProblem).toEqual(caseProblem);
    for (const query of ['', '?format=html']) {
      const unknown = await fileOf('SUS-NF29F-2026-9999', 'secas', query);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toBe('application/problem+json');
      expect(await unknown.json()).toMatchObject({ status: 404, title: expect.any(String) });
    }
    const bad = await fileOf(reference, 'secas', '?format=pdf');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
  });

  it('states a chain broken on DynamoDB Local at the top of the file, naming the event, never a 5xx; put back, it verifies again', async () => {
    const original = await partition(reference);
    const item = structuredClone(original.find((i) => i.sk === 'CASE') as Item);
    const index = (item.history as StoredEvent[]).findIndex((e) => e.type === 'SscDecisionTaken');
    expect(index).toBeGreaterThanOrEqual(0);
    const tampered = item.history[index] as StoredEvent;
    item.history[index] = { ...tampered, actor: { ...tampered.actor, name: 'Someone Else' } };
    await put(item);
    try {
      const broken = await jsonFile(reference, 'secas');
      expect(broken.verification).toMatchObject({
        ok: false,
        broken: { seq: tampered.seq, type: 'SscDecisionTaken', what: expect.stringContaining('changed') },
      });
      for (const as of ['secas', 'user'] as const) {
        const page = await fileOf(reference, as, '?format=html');
        expect(page.status).toBe(200);
        const text = await page.text();
        const main = text.slice(text.indexOf('<main'));
        expect(main.indexOf("This case's history does not verify")).toBeGreaterThan(0);
        expect(main.indexOf("This case's history does not verify")).toBeLessThan(main.indexOf('<h2 class="govuk-heading-m">The case</h2>'));
        expect(main).toContain(`Event ${tampered.seq} (SSC decision taken)`);
      }
    } finally {
      await put(original.find((i) => i.sk === 'CASE') as Item);
    }
    expect((await jsonFile(reference, 'secas')).verification.ok).toBe(true);
  });
});
