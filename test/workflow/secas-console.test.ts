import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { linksIn, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The sandbox's console, as SECAS uses it: every case with whose move it is, and a case page
 * with the workflow drawn from the ASL file — where it has been, where it waits, where it
 * stopped — its execution history, its audit history, its emails, and SECAS's form a click away.
 * (The register of SEC Users' pages and forms: test/browser/secas-console-users.test.ts.)
 */
const w = useWorkflow({ faultInjection: true });
const page = async (path: string) => {
  const response = await fetch(`${w.ctx.sandbox.consoleUrl}${path}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
};

describe('the SECAS console', () => {
  it('lists every case with its status, whose move it is, and a stopped workflow', async () => {
    const awaiting = await w.submit((b) => (b.newUserSystem.alreadyInUse = true));
    await w.sscEmail(awaiting.reference);
    w.ctx.sandbox.faults?.lambda.crash('SendCaseEmail');
    const stopped = await w.submit();
    await waitUntil(async () => (w.execution(stopped.reference)?.status === 'FAILED' ? true : undefined), 'the crashed execution to stop');

    const list = await page('/');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-security-policy')).toContain("script-src 'self'");
    const row = (reference: string) =>
      list.text.slice(list.text.indexOf(`/cases/${reference}`), list.text.indexOf('</tr>', list.text.indexOf(`/cases/${reference}`)));
    expect(row(awaiting.reference)).toContain('<span title="AwaitingSscDecision">Awaiting the SSC&#39;s decision</span>');
    expect(row(awaiting.reference)).toContain('<strong class="govuk-tag govuk-tag--blue">the SSC</strong>');
    expect(row(awaiting.reference)).toContain('late');
    expect(row(stopped.reference)).toContain('workflow stopped: redrive it');
  });

  it("shows a case's graph with its path and the state it waits in, both histories, its emails, and SECAS's form", async () => {
    const { reference } = await w.submit();
    await w.decide(reference, 'ad-hoc-assessment');
    const request = await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);
    // The request is recorded on the case once SES has taken the email: a busy machine shows the gap.
    await waitUntil(
      async () =>
        (await w.getCase(reference, 'secas')).history.some((e: { type: string }) => e.type === 'AssessmentScheduleRequestedFromSecas') ? true : undefined,
      `${reference}'s request to SECAS to be recorded`,
    );
    const c = await page(`/cases/${reference}`);
    expect(c.status).toBe(200);
    expect(c.text).toContain('<pre class="mermaid">flowchart TD');
    expect(c.text).toMatch(/class [A-Za-z,]*AcknowledgeReceipt[A-Za-z,]* visited/);
    expect(c.text).toMatch(/class [A-Za-z,]*RecordAdHocAssessmentDecision[A-Za-z,]* visited/);
    expect(c.text).toContain('class AwaitAssessmentSchedule current');
    expect(c.text).not.toMatch(/class [A-Za-z,]*RecordDeferralDecision[A-Za-z,]* visited/);
    // The execution history as the Step Functions API gives it, the audit history, the emails.
    const td = '<td class="govuk-table__cell">';
    for (const event of ['ExecutionStarted', 'TaskScheduled', 'TaskSubmitted', 'ChoiceStateEntered']) expect(c.text).toContain(`${td}${event}</td>`);
    // The audit history's events in words, each with its name in the API's history beneath.
    for (const [event, words] of [
      ['NotificationReceived', 'Notification received'],
      ['SscDecisionConfirmed', 'SSC decision confirmed on its page'],
      ['AssessmentScheduleRequestedFromSecas', 'SECAS asked for the assessment date'],
    ])
      expect(c.text).toContain(`${td}${words}<br><span class="govuk-body-s app-muted">${event}</span></td>`);
    for (const notice of ['Acknowledgement', 'SscDecisionRequest', 'Advice', 'AssessmentRecordRequest']) expect(c.text).toContain(`${td}${notice}</td>`);
    expect(c.text).toContain('Require an ad-hoc User Security Assessment, by ');
    // SECAS's form, a click away: the link its email carries; never the SSC's decision links.
    const form = linksIn(request)[0] as string;
    expect(c.text).toContain(`href="${form.replaceAll('&', '&amp;')}">Record the assessment date</a>`);
    expect(c.text).not.toContain('/decisions/');
  });

  it('marks where a stopped execution stopped, and says no for an unknown case', async () => {
    w.ctx.sandbox.faults?.lambda.crash('ManageDeadline');
    const { reference } = await w.submit();
    await waitUntil(async () => (w.execution(reference)?.status === 'FAILED' ? true : undefined), 'the execution to stop');
    const c = await page(`/cases/${reference}`);
    expect(c.text).toContain('class StartSscDecisionDeadline failed');
    expect(c.text).toContain('Execution FAILED');
    expect((await page('/cases/SUS-NF29F-2026-9999')).status).toBe(404);
    expect((await page('/cases/garbage')).status).toBe(404);
  });

  it("reads cases only (its forms are the register's), only for localhost, and serves Mermaid itself", async () => {
    expect((await fetch(`${w.ctx.sandbox.consoleUrl}/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${w.ctx.sandbox.consoleUrl}/cases/SUS-NF29F-2026-9999`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${w.ctx.sandbox.consoleUrl}/`)).headers.get('content-security-policy')).toContain("form-action 'self'");
    const rebound = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(w.ctx.sandbox.consoleUrl);
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode as number);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    const mermaid = await fetch(`${w.ctx.sandbox.consoleUrl}/assets/mermaid.min.js`);
    expect(mermaid.status).toBe(200);
    expect((await mermaid.text()).length).toBeGreaterThan(1_000_000);
    expect(new URL(w.ctx.sandbox.consoleUrl).hostname).toBe('localhost');
  });
});
