import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { dateFields, linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * What a case leaves in the logs and metrics, read off the handlers' own output (Powertools'
 * JSON logs and EMF metrics on stdout, as Lambda would ship them to CloudWatch) over a whole
 * case: a late notice, a question and its answer, an ad-hoc assessment recorded through SECAS's
 * form and the API, then the gauges. Every log line of the case carries its reference, every API
 * line its request id; none carries the notification's text; the business metrics are there.
 */
const w = useWorkflow({ environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'false' } });

const written: string[] = [];
let restore: () => void;
beforeAll(() => {
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  restore = () => {
    process.stdout.write = original;
  };
});
afterAll(() => restore());

/** The free text of the notification and the case: none of it may reach a log. */
const markers = {
  party: 'Zanzibar Quux Energy Ltd',
  contactName: 'Eustace Vantablack',
  system: 'Plover Portal 7731',
  purpose: 'PURPOSE-MARKER portal for heat-pump tariffs',
  security: 'SECURITY-MARKER HSM cluster in Slough',
  provider: 'Quokka Shared Services',
  withheld: 'WITHHELD-MARKER reasons',
  question: 'QUESTION-MARKER: which tenant isolation?',
  answer: 'ANSWER-MARKER: dedicated hosts',
  advice: 'ADVICE-MARKER: arrange it quickly',
  conditions: 'CONDITION-MARKER: fix finding 4',
};

const jsonLines = () =>
  written
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, any>;
      } catch {
        return undefined;
      }
    })
    .filter((l): l is Record<string, any> => l !== undefined);

describe('the logs and metrics of a whole case', () => {
  it('carry the case reference and request ids, no notification text, and the business metrics', async () => {
    const today = londonDate(new Date());
    const { reference, body } = await w.submit((b) => {
      b.party.name = markers.party;
      b.contact.name = markers.contactName;
      b.newUserSystem.name = markers.system;
      b.newUserSystem.purpose = markers.purpose;
      b.newUserSystem.securityArchitectureSummary = markers.security;
      b.newUserSystem.operator = { kind: 'SharedResourceProvider', providerName: markers.provider };
      b.newUserSystem.alreadyInUse = true;
      b.withheldDetails = markers.withheld;
    });
    await w.decide(reference, 'more-information', markers.question);
    await w.waitForDeadline(reference, 'UserInformation');
    expect((await w.post(`/notifications/${reference}/information`, { answer: markers.answer })).status).toBe(202);
    await w.decide(reference, 'ad-hoc-assessment', markers.advice, 2);
    const [link] = linksIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`));
    const url = new URL(link as string);
    const form = new URLSearchParams({
      ...Object.fromEntries(url.searchParams),
      ...dateFields('scheduledOn', addWorkingDays(today, 10)),
      recordedBy: 'Officer Kestrel',
      caseReference: reference,
    });
    expect(
      (await fetch(`${url.origin}${url.pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }))
        .status,
    ).toBe(200);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    await w.assessmentDayComes(reference);
    const outcome = { outcome: { assuranceStatus: 'ApprovedSubjectTo', conditions: markers.conditions, completedOn: today } };
    expect((await w.post(`/notifications/${reference}/assessment`, outcome, 'secas')).status).toBe(202);
    await w.waitForStatus(reference, 'Closed');
    await w.ctx.sandbox.runScheduledTask('PublishCaseGauges');

    const lines = jsonLines();
    const logs = lines.filter((l) => l.service === 'second-user-system-sandbox' && typeof l.level === 'string');
    const metrics = lines.filter((l) => l._aws?.CloudWatchMetrics);

    // Nothing the User, the SSC or SECAS wrote, in any line (logs and metrics alike).
    const all = written.join('');
    for (const [field, text] of Object.entries({ ...markers, email: body.contact.email }))
      expect(all.includes(text), `${field} must not be logged`).toBe(false);

    // Every log line of the case names it; the scheduled gauges and meeting papers are about no one case, and the
    // authorizer's answer is about a caller and a route, given before any case is read and cached across cases.
    const aboutNoCase = new Set(['PublishCaseGauges', 'ResumeUnstartedCases', 'SendMeetingPapers', 'AuthorizeRequest']);
    const ofCase = logs.filter((l) => !aboutNoCase.has(l.function_name));
    expect(logs.filter((l) => l.function_name === 'AuthorizeRequest').length).toBeGreaterThan(0);
    expect(ofCase.length).toBeGreaterThan(25);
    expect(ofCase.filter((l) => l.reference !== reference).map((l) => `${l.function_name}: ${l.message}`)).toEqual([]);
    // Every line of an API request carries API Gateway's request id.
    const api = ofCase.filter((l) => l.message === 'request answered');
    expect(api.length).toBeGreaterThanOrEqual(8);
    expect(api.every((l) => /^[0-9a-f-]{36}$/.test(l.correlation_id))).toBe(true);

    const emitted = (name: string, dimensions: Record<string, string> = {}) =>
      metrics.some(
        (m) =>
          m._aws.CloudWatchMetrics[0].Namespace === 'SecondUserSystem' &&
          m._aws.CloudWatchMetrics[0].Metrics.some((x: { Name: string }) => x.Name === name) &&
          m.service === 'second-user-system-sandbox' &&
          Object.entries(dimensions).every(([k, v]) => m[k] === v && m._aws.CloudWatchMetrics[0].Dimensions[0].includes(k)),
      );
    for (const [name, dimensions] of [
      ['NotificationsFiled', { Late: 'true' }],
      ['SscDecisions', { Decision: 'MoreInformationNeeded' }],
      ['SscDecisions', { Decision: 'AdHocAssessment' }],
      ['QuestionsAsked', {}],
      ['AnswersGiven', {}],
      ['AssessmentOutcomes', { AssuranceStatus: 'ApprovedSubjectTo' }],
      ['OpenCases', { Status: 'AwaitingSscDecision' }],
      ['OldestWaitDays', { WaitingOn: 'SSC' }],
      ['WaitsPastDue', { WaitingOn: 'SECAS' }],
    ] as const) {
      expect(emitted(name, dimensions), `${name} ${JSON.stringify(dimensions)}`).toBe(true);
    }
    // No dimension value is a reference or any text: only the service and a handful of fixed words.
    for (const m of metrics) for (const dimension of m._aws.CloudWatchMetrics[0].Dimensions[0]) expect(String(m[dimension])).toMatch(/^[A-Za-z_-]{1,40}$/);
  }, 60_000);
});
