import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { PAGES_TAG, openApiDocument } from '../../functions/api/openapi-document';
import { routes } from '../../functions/catalogue';
import { notificationDateRules } from '../../functions/domain/admission';
import { assessmentLinkQuery } from '../../functions/domain/assessment-link';
import { decisionLinkQuery } from '../../functions/domain/decision-link';
import { NotificationSubmission } from '../../functions/domain/notification';
import { problemTypes } from '../../functions/domain/problem';
import { type LinkKeyring, newLinkId } from '../../functions/domain/signed-link';
import { sampleNotification } from '../../infra/local/sample-notification';
import fixture from '../fixtures/notification.json' with { type: 'json' };

/** The OpenAPI description: true to what the API accepts (that the committed file is current and valid OpenAPI 3.1: test/infra/generated-files.test.ts). */
const doc = openApiDocument('test') as Record<string, any>;

const bodySchema = (name: string) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ ...doc.components.schemas[name], $schema: undefined });
};

describe('OpenAPI description', () => {
  it("gives API Gateway's own answers as they are, and marks the pages for people apart", () => {
    const gateway = { $ref: '#/components/schemas/GatewayMessage' };
    for (const [path, item] of Object.entries(doc.paths) as Array<[string, Record<string, any>]>) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        // A page answers HTML alone; an API route may offer HTML beside its JSON (the case file, GET /reports).
        const html = Object.values(operation.responses).some((r: any) => r.content?.['text/html'] && !r.content['application/json']);
        const access = path === '/oauth2/token' || path.startsWith('/clients');
        expect(operation.tags, where).toEqual([html ? PAGES_TAG : path === '/openapi.json' ? 'Description' : access ? 'Access' : 'Notifications']);
        if (operation.security.length === 0) continue;
        expect(operation.responses['401'].content, where).toEqual({ 'application/json': { schema: gateway, example: { message: 'Unauthorized' } } });
        expect(operation.responses['403'].content['application/json'], where).toEqual({ schema: gateway, example: { message: 'Forbidden' } });
        expect(operation.responses['500'].content['application/json'], where).toEqual({ schema: gateway, example: { message: 'Internal Server Error' } });
      }
    }
    // Only the listing answers a 403 of its own too: a User asking for another User's cases.
    expect(Object.keys(doc.paths['/notifications'].get.responses['403'].content).sort()).toEqual(['application/json', 'application/problem+json']);
    expect(Object.keys(doc.paths['/notifications/{reference}'].get.responses['403'].content)).toEqual(['application/json']);
    expect(doc.components.responses.NoSuchRoute.content['application/json'].example).toEqual({ message: 'Not Found' });
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain(PAGES_TAG);
    expect(Object.keys(doc.paths['/notifications/{reference}/case-file'].get.responses['200'].content)).toEqual(['application/json', 'text/html']);
  });

  it('says the cross-field rules JSON Schema can say: one of date or outcome, conditions for ApprovedSubjectTo, each User Role once', () => {
    const record = bodySchema('RecordAssessmentRequest');
    const outcome = (o: Record<string, unknown>) => ({ outcome: { completedOn: '2027-01-12', ...o } });
    expect(record({ scheduledOn: '2027-01-12' })).toBe(true);
    expect(record(outcome({ assuranceStatus: 'Approved' }))).toBe(true);
    expect(record(outcome({ assuranceStatus: 'ApprovedSubjectTo', conditions: 'Fix finding 3.' }))).toBe(true);
    expect(record(outcome({ assuranceStatus: 'ApprovedSubjectTo' }))).toBe(false);
    expect(record({ scheduledOn: '2027-01-12', ...outcome({ assuranceStatus: 'Approved' }) })).toBe(false);
    expect(doc.components.schemas.RecordAssessmentRequest.oneOf).toHaveLength(2);
    const notification = bodySchema('SubmitNotificationRequest');
    expect(notification({ ...fixture, userRoles: ['ImportSupplier', 'ImportSupplier'] })).toBe(false);
  });

  it('describes every route of the catalogue, its security and scopes', () => {
    for (const route of routes) {
      const methods = route.method === 'ANY' ? ['get', 'head'] : [route.method.toLowerCase()];
      for (const method of methods) {
        const operation = doc.paths[route.path]?.[method];
        expect(operation, `${route.method} ${route.path}`).toBeDefined();
        const scopes = (operation.security as Array<{ oauth2: string[] }>).flatMap((s) => s.oauth2);
        if (route.access === 'signed-link' || route.access === 'public' || route.access === 'client-assertion') expect(scopes).toEqual([]);
        else expect(scopes.length).toBeGreaterThan(0);
      }
    }
    const operationIds = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('gives each signed-link page the query its emailed links carry', () => {
    const keyring: LinkKeyring = { currentKeyId: 'k1', keys: { k1: 'a'.repeat(43) } };
    const queryOf = (path: string) =>
      (doc.paths[path].get.parameters as Array<{ name: string; in: string; required: boolean }>)
        .filter((p) => p.in === 'query')
        .map((p) => [p.name, p.required]);
    const keysOf = (query: string) => [...new URLSearchParams(query).keys()].sort().map((k) => [k, true]);
    expect(queryOf('/decisions/{decisionId}').sort()).toEqual(
      keysOf(decisionLinkQuery({ decisionId: newLinkId(), decision: 'AdHocAssessment', expires: 2_000_000_000 }, keyring)),
    );
    expect(queryOf('/assessments/{recordId}').sort()).toEqual(
      keysOf(assessmentLinkQuery({ recordId: newLinkId(), stage: 'AssessmentOutcome', expires: 2_000_000_000 }, keyring)),
    );
  });

  it('lists every problem type and describes what JSON Schema cannot say', () => {
    expect(doc.components.schemas.Problem.properties.type.enum).toHaveLength(Object.keys(problemTypes).length);
    const text = JSON.stringify(doc);
    for (const rule of notificationDateRules) expect(text).toContain(rule.pointer);
    expect(text).toContain('plannedLiveOn must not be before plannedProcurementOn');
    expect(text).toContain('each at most once');
    expect(text).toContain('conditions are required when assuranceStatus is ApprovedSubjectTo');
  });

  it('accepts the test fixture, the sandbox sample and every documented example; refuses what the API refuses', () => {
    const notification = bodySchema('SubmitNotificationRequest');
    expect(notification(fixture), JSON.stringify(notification.errors)).toBe(true);
    expect(notification(sampleNotification()), JSON.stringify(notification.errors)).toBe(true);
    expect(notification({ ...fixture, unexpected: true })).toBe(false);
    expect(notification({ ...fixture, contact: { ...fixture.contact, email: 'not-an-address' } })).toBe(false);
    for (const [path, item] of Object.entries(doc.paths) as Array<[string, Record<string, any>]>) {
      const content = item.post?.requestBody?.content?.['application/json'];
      if (!content?.examples) continue;
      const validate = bodySchema(content.schema.$ref.split('/').pop());
      for (const [name, example] of Object.entries(content.examples) as Array<[string, { value: unknown }]>) {
        expect(validate(example.value), `${path} ${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    expect(bodySchema('RecordAssessmentRequest')({ scheduledOn: '14/01/2027' })).toBe(false);
  });

  it('counts lengths as the API does, in characters (Unicode code points), and says so wherever it gives a maxLength', () => {
    const notification = bodySchema('SubmitNotificationRequest');
    for (const [emoji, valid] of [
      [200, true],
      [201, false],
    ] as const) {
      const body = { ...fixture, party: { ...fixture.party, name: '🦄'.repeat(emoji) } };
      expect(notification(body), `${emoji} emoji, JSON Schema`).toBe(valid);
      expect(NotificationSubmission.safeParse(body).success, `${emoji} emoji, the API`).toBe(valid);
    }
    const unsaid: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (typeof schema.maxLength === 'number' && !String(schema.description ?? '').includes('characters (Unicode code points)')) unsaid.push(at);
      for (const [key, value] of Object.entries(schema)) walk(value, `${at}/${key}`);
    };
    walk(doc, '');
    expect(unsaid.filter((at) => !at.includes('/parameters/'))).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('x-one-line');
    expect(doc.components.schemas.SubmitNotificationRequest.properties.party.properties.name.description).toMatch(/without invisible formatting characters/);
  });
});
