import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../functions/api/openapi-document';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { CLIENT_ASSERTION_TYPE } from '../../functions/use-cases/access-tokens';
import { requestAccessToken } from '../../infra/tools/token';
import { type Answer, contractOf } from '../support/contract';
import { confirmDecision, linksIn, recordByLink } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The OpenAPI document against the API's real answers: every request this file makes to the
 * sandbox's API (each route's success, its problems, API Gateway's own 401, 403, 400 and 404, the
 * pages behind the emailed links) is answered, recorded, and held against the document served at
 * GET /openapi.json (test/support/contract.ts). Any answer the document does not allow fails.
 */
const w = useWorkflow();
const today = () => londonDate(new Date());
const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
const judge = contractOf(document);

const answers: Answer[] = [];
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await realFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const api = w.ctx.sandbox.apiUrl;
    if (url.startsWith(api))
      answers.push({
        method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
        url: url.slice(api.length),
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: await response.clone().text(),
      });
    return response;
  };
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

const api = (as: 'user' | 'otherUser' | 'secas' | 'anonymous', path: string, init: RequestInit = {}) => w.ctx.api(as).fetch(path, init);
const postJson = (as: 'user' | 'otherUser' | 'secas' | 'anonymous', path: string, body: string, headers: Record<string, string> = {}) =>
  api(as, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

describe('the OpenAPI document, true to every answer', () => {
  it('describes the answers to filing and reading cases, and API Gateway’s own', async () => {
    const { reference, body } = await w.submit();
    const filing = JSON.stringify(body);
    expect((await api('user', `/notifications/${reference}`)).status).toBe(200);
    expect((await api('secas', `/notifications/${reference}`)).status).toBe(200);
    expect((await api('user', '/notifications')).status).toBe(200);
    expect((await api('secas', '/notifications?status=Received&limit=1')).status).toBe(200);
    expect((await api('user', '/notifications?limit=0')).status).toBe(422);
    expect((await api('user', '/notifications?cursor=bogus')).status).toBe(400);
    expect((await api('secas', '/notifications')).status).toBe(400);
    expect((await api('user', `/notifications?owner=${w.ctx.sandbox.credentials.otherUser.clientId}`)).status).toBe(403);
    expect((await api('otherUser', `/notifications/${reference}`)).status).toBe(404);
    expect((await api('user', '/notifications/not-a-reference')).status).toBe(404);
    // The verification of a case's history: SECAS's alone; an unknown case is a 404.
    expect((await api('secas', `/notifications/${reference}/verification`)).status).toBe(200);
    expect((await api('secas', '/notifications/SUS-NF29F-2026-9999/verification')).status).toBe(404);
    expect((await api('user', `/notifications/${reference}/verification`)).status).toBe(403);
    // The case file: SECAS's and the User's, as JSON and as the page; another User's and an unknown case are 404s, a bad format a 422.
    expect((await api('secas', `/notifications/${reference}/case-file`)).status).toBe(200);
    expect((await api('user', `/notifications/${reference}/case-file?format=html`)).status).toBe(200);
    expect((await api('secas', `/notifications/${reference}/case-file`, { headers: { Accept: 'text/html' } })).status).toBe(200);
    expect((await api('otherUser', `/notifications/${reference}/case-file`)).status).toBe(404);
    expect((await api('secas', '/notifications/SUS-NF29F-2026-9999/case-file')).status).toBe(404);
    expect((await api('secas', `/notifications/${reference}/case-file?format=pdf`)).status).toBe(422);
    // The service report, SECAS's alone: JSON, CSV and a page; a reversed range is a 422.
    const week = `from=${addWorkingDays(today(), -5)}&to=${today()}`;
    expect((await api('secas', `/reports?${week}`)).status).toBe(200);
    expect((await api('secas', `/reports?${week}`, { headers: { Accept: 'text/csv' } })).status).toBe(200);
    expect((await api('secas', `/reports?${week}&format=html`)).status).toBe(200);
    expect((await api('secas', `/reports?from=${today()}&to=${addWorkingDays(today(), -5)}`)).status).toBe(422);
    expect((await api('user', `/reports?${week}`)).status).toBe(403);
    // API Gateway's own: no token, a forged one (its authorizer's 403), a token without the route's scope, a path it cannot decode, no such route.
    expect((await api('anonymous', `/notifications/${reference}`)).status).toBe(401);
    expect((await api('anonymous', '/notifications', { headers: { Authorization: 'Bearer not.a.token' } })).status).toBe(403);
    expect((await postJson('secas', '/notifications', filing)).status).toBe(403);
    expect((await api('user', '/notifications/%E0%A4%A')).status).toBe(400);
    expect((await api('user', '/nowhere')).status).toBe(404);
    expect((await api('user', '/notifications', { method: 'DELETE' })).status).toBe(404);
    expect((await api('user', `/notifications/${reference}`, { method: 'PUT', body: '{}' })).status).toBe(404);

    // The intake's problems.
    expect((await postJson('user', '/notifications', '{"party":')).status).toBe(400);
    expect((await postJson('user', '/notifications', '{"a":1,"a":2}')).status).toBe(400);
    expect((await postJson('user', '/notifications', '{"text":"\ufffd"}')).status).toBe(400);
    expect((await postJson('user', '/notifications', filing, { 'Idempotency-Key': 'short' })).status).toBe(400);
    expect((await api('user', '/notifications', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: filing })).status).toBe(415);
    expect((await postJson('user', '/notifications', '{}')).status).toBe(422);
    expect((await postJson('user', '/notifications', '{"__proto__":{"polluted":true}}')).status).toBe(422);
    expect((await postJson('user', '/notifications', JSON.stringify({ ...body, withheldDetails: 'x'.repeat(300 * 1024) }))).status).toBe(413);
    const key = `contract-${Date.now()}`;
    expect((await postJson('user', '/notifications', filing, { 'Idempotency-Key': key })).status).toBe(201);
    expect((await postJson('user', '/notifications', filing, { 'Idempotency-Key': key })).status).toBe(201);
    expect((await postJson('user', '/notifications', JSON.stringify({ ...body, withheldDetails: 'other' }), { 'Idempotency-Key': key })).status).toBe(409);

    // A case's actions: no question open, a withdrawal, then too late to withdraw; SECAS's record for a case that does not await one.
    expect((await postJson('user', `/notifications/${reference}/information`, '{"answer":"unasked"}')).status).toBe(409);
    expect((await postJson('user', `/notifications/${reference}/information`, '{}')).status).toBe(422);
    expect((await postJson('user', `/notifications/${reference}/assessment`, `{"scheduledOn":"${addWorkingDays(today(), 5)}"}`)).status).toBe(403);
    expect((await postJson('secas', `/notifications/${reference}/assessment`, `{"scheduledOn":"${addWorkingDays(today(), 5)}"}`)).status).toBe(409);
    expect((await postJson('user', `/notifications/${reference}/withdrawal`, '{"reason":"Filed twice."}')).status).toBe(202);
    expect((await postJson('user', `/notifications/${reference}/withdrawal`, '{}')).status).toBe(409);

    expect((await api('anonymous', '/openapi.json')).status).toBe(200);
    expect((await api('anonymous', '/openapi.json', { method: 'HEAD' })).status).toBe(200);
  });

  it('describes the pages behind the SSC’s links, a question and its answer', async () => {
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    const question = link('more-information');
    expect((await fetch(question, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(question.replace(/sig=[^&]+/, 'sig=local-1.forged'))).status).toBe(403);
    expect((await confirmDecision(question, '')).status).toBe(422);
    expect((await confirmDecision(question, 'Which tenant isolation?')).status).toBe(200);
    expect((await confirmDecision(question, 'Again?')).status).toBe(409);
    await w.waitForDeadline(reference, 'UserInformation');
    expect((await postJson('user', `/notifications/${reference}/information`, '{"answer":"Dedicated hosts."}')).status).toBe(202);
  });

  it('describes SECAS’s records, through its forms and the API, and names both fields of a body that gives both', async () => {
    const { reference } = await w.submit();
    await w.decide(reference, 'ad-hoc-assessment');
    const [dateLink] = linksIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`));
    expect((await fetch(dateLink as string)).status).toBe(200);
    expect((await fetch(dateLink as string, { method: 'HEAD' })).status).toBe(200);
    expect((await recordByLink(dateLink as string, {})).status).toBe(422);
    await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');

    const both = await postJson(
      'secas',
      `/notifications/${reference}/assessment`,
      JSON.stringify({ scheduledOn: addWorkingDays(today(), 5), outcome: { assuranceStatus: 'Approved', completedOn: today() } }),
    );
    expect(both.status).toBe(422);
    expect(((await both.json()) as { errors: Array<{ pointer: string; detail: string }> }).errors).toEqual([
      { pointer: '/scheduledOn', detail: 'give scheduledOn or outcome, not both' },
      { pointer: '/outcome', detail: 'give scheduledOn or outcome, not both' },
    ]);
    expect((await postJson('secas', `/notifications/${reference}/assessment`, `{"scheduledOn":"${addWorkingDays(today(), 5)}"}`)).status).toBe(202);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    await w.assessmentDayComes(reference);
    const conditionless = await postJson(
      'secas',
      `/notifications/${reference}/assessment`,
      JSON.stringify({ outcome: { assuranceStatus: 'ApprovedSubjectTo', completedOn: today() } }),
    );
    expect(conditionless.status).toBe(422);
    expect(((await conditionless.json()) as { errors: unknown }).errors).toEqual([
      { pointer: '/outcome/conditions', detail: 'conditions are required for ApprovedSubjectTo' },
    ]);
    const outcome = { outcome: { assuranceStatus: 'ApprovedSubjectTo', conditions: 'Fix finding 3.', completedOn: today() } };
    expect((await postJson('secas', `/notifications/${reference}/assessment`, JSON.stringify(outcome))).status).toBe(202);
  });

  it('describes the token endpoint and the register of SEC Users', async () => {
    const form = (fields: Record<string, string>) =>
      api('anonymous', '/oauth2/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    await requestAccessToken(w.ctx.sandbox.credentials.secas, w.ctx.sandbox.apiUrl);
    expect((await form({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: 'a.b.c' })).status).toBe(401);
    expect((await form({ grant_type: 'password' })).status).toBe(400);

    const registered = await postJson(
      'secas',
      '/clients',
      JSON.stringify({ secPartyId: 'CNTR', name: 'Contract Energy', contacts: [{ name: 'A', email: 'a@contract.example' }], officer: 'Sam Okafor' }),
    );
    expect(registered.status).toBe(201);
    const { clientId } = (await registered.json()) as { clientId: string };
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const key = (kid: string, publicKeyPem: unknown) =>
      postJson('secas', `/clients/${clientId}/keys`, JSON.stringify({ kid, publicKey: publicKeyPem, officer: 'Sam Okafor' }));
    expect((await key('k1', publicKey.export({ format: 'pem', type: 'spki' }))).status).toBe(201);
    expect((await key('k1', publicKey.export({ format: 'pem', type: 'spki' }))).status).toBe(409);
    expect((await key('k2', { kty: 'oct', k: 'c2VjcmV0' })).status).toBe(422);
    expect((await api('secas', '/clients')).status).toBe(200);
    expect((await api('secas', `/clients/${clientId}`)).status).toBe(200);
    expect((await api('secas', '/clients/nosuchclient0000000000000')).status).toBe(404);
    const officer = JSON.stringify({ officer: 'Sam Okafor' });
    expect((await postJson('secas', `/clients/${clientId}/keys/k1/retire`, officer)).status).toBe(200);
    expect((await postJson('secas', `/clients/${clientId}/suspend`, officer)).status).toBe(200);
    expect((await postJson('secas', `/clients/${clientId}/reinstate`, officer)).status).toBe(200);
    expect((await postJson('secas', `/clients/${clientId}/offboard`, officer)).status).toBe(200);
    expect((await postJson('secas', `/clients/${clientId}/reinstate`, officer)).status).toBe(409);
  });

  it('describes the register of Shared Resource assessments', async () => {
    const officer = 'Sam Okafor';
    const recorded = await postJson('secas', '/shared-resource-providers', JSON.stringify({ name: 'Contract Hosting', officer }));
    expect(recorded.status).toBe(201);
    const { providerId } = (await recorded.json()) as { providerId: string };
    expect((await postJson('secas', '/shared-resource-providers', JSON.stringify({ name: 'contract hosting', officer }))).status).toBe(409);
    const outcome = { reference: 'USAR-2026-900', assessedOn: today(), assuranceStatus: 'Deferred', validUntil: addWorkingDays(today(), 200), officer };
    expect((await postJson('secas', `/shared-resource-providers/${providerId}/assessments`, JSON.stringify(outcome))).status).toBe(201);
    expect((await postJson('secas', `/shared-resource-providers/${providerId}/assessments`, JSON.stringify(outcome))).status).toBe(422);
    expect(
      (await postJson('secas', '/shared-resource-providers/no-such-provider/assessments', JSON.stringify({ ...outcome, reference: 'USAR-2026-901' }))).status,
    ).toBe(404);
    expect((await api('secas', '/shared-resource-providers')).status).toBe(200);
    expect((await api('secas', `/shared-resource-providers/${providerId}`)).status).toBe(200);
    expect((await api('secas', '/shared-resource-providers/no-such-provider')).status).toBe(404);
  });

  it('describes the register of SSC members', async () => {
    const officer = JSON.stringify({ officer: 'Sam Okafor' });
    const added = await postJson(
      'secas',
      '/ssc-members',
      JSON.stringify({ name: 'Contract Member', email: 'contract.member@ssc.example.org', officer: 'Sam Okafor' }),
    );
    expect(added.status).toBe(201);
    const { memberId } = (await added.json()) as { memberId: string };
    expect(
      (await postJson('secas', '/ssc-members', JSON.stringify({ name: 'Again', email: 'contract.member@ssc.example.org', officer: 'Sam Okafor' }))).status,
    ).toBe(422);
    const alternate = JSON.stringify({ name: 'Contract Alternate', email: 'contract.alternate@ssc.example.org', officer: 'Sam Okafor' });
    expect((await postJson('secas', `/ssc-members/${memberId}/alternate`, alternate)).status).toBe(200);
    expect((await postJson('secas', '/ssc-members/NoSuchMembr1/alternate', alternate)).status).toBe(404);
    expect((await postJson('secas', `/ssc-members/${memberId}/alternate/removal`, officer)).status).toBe(200);
    expect((await postJson('secas', `/ssc-members/${memberId}/alternate/removal`, officer)).status).toBe(409);
    expect((await api('secas', '/ssc-members')).status).toBe(200);
    expect((await api('secas', `/ssc-members/${memberId}`)).status).toBe(200);
    // Removed last: this file's later decisions go to the SSC mailbox again.
    expect((await postJson('secas', `/ssc-members/${memberId}/removal`, officer)).status).toBe(200);
    expect((await postJson('secas', `/ssc-members/${memberId}/removal`, officer)).status).toBe(404);
    expect((await api('secas', `/ssc-members/${memberId}`)).status).toBe(404);
  });

  it('describes the retention schedule', async () => {
    expect((await api('secas', '/retention-schedule')).status).toBe(200);
    const schedule = { decisionRecord: 84, contact: 24, typedNames: 72, freeTexts: 24, emails: 24 };
    const change = (months: Record<string, number>) =>
      postJson('secas', '/retention-schedule', JSON.stringify({ schedule: { ...schedule, ...months }, officer: 'Sam Okafor', reason: 'Contract' }));
    expect((await change({})).status).toBe(200);
    expect((await change({ contact: 3 })).status).toBe(422);
    expect((await api('user', '/retention-schedule')).status).toBe(403);
  });

  it('describes the answers to amending a notice', async () => {
    const { reference } = await w.submit();
    await w.sscEmail(reference);
    const patch = (body: string, headers: Record<string, string>) =>
      api('user', `/notifications/${reference}`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json', ...headers }, body });
    expect((await patch('{"newUserSystem":{"name":"Amended"}}', { 'If-Match': '"1"' })).status).toBe(200);
    expect((await patch('{"newUserSystem":{"name":"Again"}}', { 'If-Match': '"1"' })).status).toBe(412);
    expect((await patch('{"newUserSystem":{"name":"Again"}}', {})).status).toBe(428);
    expect((await patch('{"newUserSystem":{"colour":"blue"}}', { 'If-Match': '"2"' })).status).toBe(422);
    expect((await patch('{"a":1,"a":2}', { 'If-Match': '"2"' })).status).toBe(400);
    await w.sscEmail(reference, 2);
    await w.decide(reference, 'out-of-scope', '', 2);
    await w.waitForStatus(reference, 'OutOfScope');
    expect((await patch('{"newUserSystem":{"name":"Too late"}}', { 'If-Match': '"2"' })).status).toBe(409);
  });

  it('allows every answer above, and they reached every operation', () => {
    const verdicts = answers.map(judge);
    expect(verdicts.flatMap((v) => v.violations)).toEqual([]);
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(new Set(verdicts.map((v) => v.operation))).toEqual(new Set([...operations, 'no route']));
    // API Gateway's own answers were among them.
    const gateway = answers.filter((a) => a.contentType === 'application/json' && /^\{"message":/.test(a.body)).map((a) => a.status);
    expect(new Set(gateway)).toEqual(new Set([400, 401, 403, 404]));
  });
});
