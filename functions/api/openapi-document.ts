import * as z from 'zod';
import { type Route, routeScopes, routes } from '../catalogue';
import { scopes } from '../domain/caller';
import { CaseSummary, NotificationCase } from '../domain/case';
import { notificationDateRules } from '../domain/admission';
import { NotificationSubmission } from '../domain/notification';
import { PROBLEM_TYPE_BASE, type ProblemSlug, problemTypes } from '../domain/problem';
import { REFERENCE_PATTERN } from '../domain/reference';
import { ONE_LINE } from '../domain/text';
import { AssessmentRecord, InformationAnswer, ListQuery, WithdrawalRequest } from '../domain/requests';
import pkg from '../../package.json' with { type: 'json' };
import { IDEMPOTENT_REPLAYED, MAX_BODY_BYTES } from './http';

/**
 * The API's OpenAPI 3.1 description, built from the same zod schemas that validate requests and
 * shape responses, and from the route catalogue the stack and the sandbox both use. What JSON
 * Schema cannot say (a date's window around the day of the request, a rule across fields) is
 * written into the descriptions. `npm run update:openapi` writes it to functions/api/openapi.json,
 * which GET /openapi.json serves; a test fails when the file is stale.
 */

type Schema = Record<string, unknown>;

/**
 * Says in words what a one-line text refuses, and what a maxLength counts: characters, meaning Unicode code points, as JSON Schema
 * counts them and as the API checks them (functions/domain/text.ts), not bytes or UTF-16 units.
 */
const addSentence = (schema: Schema, sentence: string) => {
  const before = String(schema.description ?? '');
  schema.description = before ? `${before}${before.endsWith('.') ? '' : '.'} ${sentence}` : sentence;
};

const describeLengths = (node: unknown): void => {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) describeLengths(item);
    return;
  }
  const schema = node as Schema;
  if (schema[ONE_LINE]) {
    delete schema[ONE_LINE];
    addSentence(
      schema,
      'One line, without invisible formatting characters (bidirectional controls, zero-width spaces and the like; the joiners U+200C and U+200D pass).',
    );
  }
  if (typeof schema.maxLength === 'number' && !String(schema.description ?? '').includes('Unicode code points')) {
    addSentence(schema, `At most ${schema.maxLength} characters (Unicode code points).`);
  }
  for (const value of Object.values(schema)) describeLengths(value);
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Schema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Schema;
  describeLengths(rest);
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const problemResponse = (slugs: ProblemSlug[]) => ({
  description: slugs.map((slug) => `\`${slug}\`: ${problemTypes[slug].meaning}`).join(' '),
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const htmlContent = { 'text/html': { schema: { type: 'string' } } };

/** The statuses each route can answer with a problem, by what it does. */
const problemsOf = (route: Route): Record<string, ProblemSlug[]> => {
  const problems: Record<string, ProblemSlug[]> = { '500': ['internal'], '503': ['dependency-unavailable'] };
  const add = (status: number, ...slugs: ProblemSlug[]) => {
    problems[String(status)] = [...(problems[String(status)] ?? []), ...slugs];
  };
  if (route.access !== 'signed-link' && route.access !== 'public') {
    add(401, 'unauthenticated');
    add(403, 'forbidden');
  }
  if (route.method === 'POST') {
    add(400, 'malformed-json', 'duplicate-key', 'invalid-encoding', 'bad-request');
    add(413, 'payload-too-large');
    add(415, 'unsupported-media-type');
    add(422, 'validation', 'forbidden-key');
  }
  if (route.path.includes('{reference}')) add(404, 'not-found');
  if (route.path.startsWith('/notifications/{reference}/')) {
    add(409, 'conflict');
    add(503, 'workflow-unavailable');
  }
  if (route.name === 'SubmitNotification') {
    add(400, 'invalid-idempotency-key');
    add(409, 'idempotency-key-reused', 'request-in-progress');
  }
  if (route.name === 'ListNotifications') {
    add(400, 'filter-required', 'invalid-cursor');
    add(422, 'validation');
  }
  return problems;
};

const datesRule = `Dates the process computes on must fall in windows around the day the request arrives (a 422 names the field and its window): ${notificationDateRules
  .map((r) => `\`${r.pointer}\` ${r.why} (${r.fromMonths} to ${r.toMonths} months from today)`)
  .join('; ')}; no window reaches within a year of the end of the Working-Day calendar.`;

const jsonBodies: Partial<Record<string, { schema: z.ZodType; description: string; examples?: Record<string, unknown> }>> = {
  SubmitNotification: { schema: NotificationSubmission, description: `The notification. ${datesRule}` },
  AnswerInformationRequest: {
    schema: InformationAnswer,
    description: "The User's answer to the SSC's open question.",
    examples: { answer: { answer: 'The portal is hosted by our Shared Resource Provider under its existing assessment; see report USAR-2026-014.' } },
  },
  WithdrawNotification: {
    schema: WithdrawalRequest,
    description: 'Withdraws the notification, until the SSC decides.',
    examples: { withdrawal: { reason: 'Filed twice; see the other notification.' } },
  },
  RecordAssessment: {
    schema: AssessmentRecord,
    description:
      'Either the date of the ad-hoc User Security Assessment, or its outcome. `scheduledOn` must be a Working Day after today (not today, nor a Saturday, Sunday, Christmas Day, Good Friday or bank holiday in England and Wales), until the hard limit of the assessment window the SSC set. `outcome.completedOn` must be on or after the recorded `scheduledOn` and not in the future, so an outcome can be recorded from the day of the assessment; conditions are required for ApprovedSubjectTo. A date the process cannot take is a 422 whose error, at `/scheduledOn` or `/outcome/completedOn`, names the rule.',
    examples: {
      date: { scheduledOn: '2027-02-15' },
      outcome: {
        outcome: {
          assuranceStatus: 'ApprovedSubjectTo',
          conditions: 'Remediate finding 3 within 60 days.',
          reportReference: 'USAR-2027-001',
          completedOn: '2027-02-19',
        },
      },
    },
  },
};

const formBodies: Partial<Record<string, { fields: Record<string, string>; required: string[]; description: string }>> = {
  TakeDecision: {
    fields: {
      decision: 'The signed decision, as the page carries it',
      expires: 'The link expiry, as the page carries it',
      sig: 'The link signature, as the page carries it',
      advice: "The SSC's advice to the User (for more information: the question)",
      decidedBy: 'The full name of the SSC member taking the decision',
      caseReference: 'The case reference, typed by the member',
    },
    required: ['decision', 'expires', 'sig', 'decidedBy', 'caseReference'],
    description: 'The SSC confirms a decision from its confirmation page: a 422 page names what is missing or mistyped, and nothing is decided.',
  },
  SubmitAssessmentRecord: {
    fields: {
      record: 'What the form records: the date, or the outcome',
      expires: 'The link expiry, as the form carries it',
      sig: 'The link signature, as the form carries it',
      scheduledOn: 'The assessment date (YYYY-MM-DD): a Working Day after today, until the hard limit of the assessment window',
      assuranceStatus: 'Approved, ApprovedSubjectTo, Deferred or Rejected (the form checks none)',
      conditions: 'Conditions of ApprovedSubjectTo',
      reportReference: "The assessment report's reference",
      completedOn: 'When the assessment completed (YYYY-MM-DD): on or after the scheduled date, not in the future',
      recordedBy: 'The full name of the SECAS officer recording it',
      caseReference: 'The case reference, typed by the officer',
    },
    required: ['record', 'expires', 'sig', 'recordedBy', 'caseReference'],
    description:
      "SECAS records the assessment date, then its outcome, from the form its email links to, with the officer's name and the case reference typed: a 422 page names what is missing or mistyped, or a date the process cannot take (the API's rules), and nothing is recorded.",
  },
};

/** The query of a signed link, as emailed: what it is for (the SSC's decision, or which SECAS record), its expiry and signature. */
const signedLinkParameters = (route: Route) =>
  [route.path.startsWith('/assessments/') ? 'record' : 'decision', 'expires', 'sig'].map((name) => ({
    name,
    in: 'query',
    required: true,
    description: 'Part of the signed link exactly as emailed (HMAC-SHA256 over id, purpose and expiry)',
    schema: { type: 'string' },
  }));

const pathParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: name === 'reference' ? { type: 'string', pattern: REFERENCE_PATTERN } : { type: 'string', minLength: 1, maxLength: 64 },
  description: name === 'reference' ? 'The case reference, SUS-<filer>-<year>-<nnnn>' : 'The opaque id of the signed link (at most 64 characters)',
});

const listQueryParameters = () => {
  const schema = jsonSchema(ListQuery, 'input') as { properties: Record<string, Schema> };
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
};

const successOf = (route: Route): Record<string, unknown> => {
  switch (route.name) {
    case 'SubmitNotification':
      return {
        '201': {
          description:
            'The case is filed and its workflow started. A retry with the same Idempotency-Key and body within 24 hours gets the first answer again, the case as it was then, marked by the Idempotent-Replayed header: GET its Location for the case now.',
          headers: {
            Location: { schema: { type: 'string' } },
            [IDEMPOTENT_REPLAYED]: {
              description:
                '`true` when this answer replays the first answer to this Idempotency-Key (the body is the case as it was filed, not as it is now); absent on the first answer',
              schema: { type: 'string', enum: ['true'] },
            },
          },
          content: { 'application/json': { schema: ref('NotificationCase') } },
        },
      };
    case 'GetNotification':
      return { '200': { description: 'The case.', content: { 'application/json': { schema: ref('NotificationCase') } } } };
    case 'ListNotifications':
      return { '200': { description: 'A page of cases, newest first.', content: { 'application/json': { schema: ref('CaseList') } } } };
    case 'OpenApiDocument':
      return { '200': { description: 'This document.', content: { 'application/json': { schema: { type: 'object' } } } } };
    default:
      if (route.access === 'signed-link') {
        return {
          '200': { description: 'The page.', content: htmlContent },
          '403': { description: 'The link is incomplete, altered or forged (a page).', content: htmlContent },
          '409': { description: 'Already decided or recorded (a page).', content: htmlContent },
          '410': { description: 'The link has expired, or the case has moved on (a page).', content: htmlContent },
          ...(route.method === 'POST'
            ? {
                '422': { description: 'The form is incomplete or mistyped: the page again, saying what to correct; nothing is changed.', content: htmlContent },
              }
            : {}),
        };
      }
      return {
        '202': {
          description: 'Taken; the workflow carries it on.',
          headers: { Location: { schema: { type: 'string' } } },
          content: { 'application/json': { schema: ref('Accepted') } },
        },
      };
  }
};

const operationOf = (route: Route) => {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const security = route.access === 'signed-link' || route.access === 'public' ? [] : routeScopes(route).map((scope) => ({ oauth2: [scope] }));
  const json = jsonBodies[route.name];
  const form = formBodies[route.name];
  const parameters = [
    ...names.map(pathParameter),
    ...(route.name === 'ListNotifications' ? listQueryParameters() : []),
    ...(route.access === 'signed-link' && route.method !== 'POST' ? signedLinkParameters(route) : []),
    ...(route.name === 'SubmitNotification'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Retries with the same key and body get the first answer again, marked Idempotent-Replayed: true (24 hours)',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
          },
        ]
      : []),
  ];
  const problems =
    route.access === 'signed-link' ? {} : Object.fromEntries(Object.entries(problemsOf(route)).map(([status, slugs]) => [status, problemResponse(slugs)]));
  return {
    operationId: route.method === 'HEAD' ? `${route.name}Head` : route.name,
    summary: `${route.method} ${route.path}`,
    security,
    ...(parameters.length ? { parameters } : {}),
    ...(json
      ? {
          requestBody: {
            required: true,
            description: json.description,
            content: {
              'application/json': {
                schema: ref(`${route.name}Request`),
                ...(json.examples ? { examples: Object.fromEntries(Object.entries(json.examples).map(([name, value]) => [name, { value }])) } : {}),
              },
            },
          },
        }
      : {}),
    ...(form
      ? {
          requestBody: {
            required: true,
            description: form.description,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  properties: Object.fromEntries(Object.entries(form.fields).map(([k, d]) => [k, { type: 'string', description: d }])),
                  required: form.required,
                },
              },
            },
          },
        }
      : {}),
    responses: { ...successOf(route), ...problems },
  };
};

/** The document, from the catalogue and the schemas. */
export const openApiDocument = (version: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const methods = route.method === 'ANY' ? ['get', 'head'] : [route.method.toLowerCase()];
    for (const method of methods) {
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, unknown>)[method] = operationOf(method === 'head' && route.method === 'ANY' ? { ...route, method: 'HEAD' } : route);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SEC Second User System notifications (SECMP0057)',
      version,
      description: [
        'SEC Users notify the Security Sub-Committee before they employ a second or subsequent User System (SEC G3.9). A notification files a case; the SSC decides through signed links in its email; SECAS records ad-hoc assessments. Every problem is RFC 9457 problem details (`application/problem+json`); every JSON answer is `Cache-Control: no-store`.',
        `The problem types (\`${PROBLEM_TYPE_BASE}<type>\`): ${Object.entries(problemTypes)
          .map(([slug, p]) => `\`${slug}\` (${p.statuses.join(', ')}): ${p.meaning}`)
          .join(' ')}`,
        `Requests larger than ${MAX_BODY_BYTES} bytes are refused (413).`,
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    security: [],
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description: "OAuth 2.0 client credentials: each SEC User's machine client, and SECAS's. A User sees and acts on its own cases only.",
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth2/token',
              scopes: { [scopes.user]: 'A SEC User: file and follow its own notifications', [scopes.secas]: 'SECAS: every case, and the assessment records' },
            },
          },
        },
      },
      schemas: {
        SubmitNotificationRequest: jsonSchema(NotificationSubmission, 'input'),
        AnswerInformationRequestRequest: jsonSchema(InformationAnswer, 'input'),
        WithdrawNotificationRequest: jsonSchema(WithdrawalRequest, 'input'),
        RecordAssessmentRequest: jsonSchema(AssessmentRecord, 'input'),
        NotificationCase: jsonSchema(NotificationCase, 'output'),
        CaseList: {
          type: 'object',
          properties: {
            items: { type: 'array', items: jsonSchema(CaseSummary, 'output') },
            links: {
              type: 'object',
              properties: { self: { type: 'string' }, next: { type: 'string', description: 'The next page, when there is one' } },
              required: ['self'],
            },
          },
          required: ['items', 'links'],
        },
        Accepted: {
          type: 'object',
          properties: {
            reference: { type: 'string' },
            message: { type: 'string' },
            links: { type: 'object', properties: { self: { type: 'string' } }, required: ['self'] },
          },
          required: ['reference', 'message', 'links'],
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          properties: {
            type: { type: 'string', enum: Object.keys(problemTypes).map((slug) => PROBLEM_TYPE_BASE + slug) },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { pointer: { type: 'string', description: 'JSON pointer of the field' }, detail: { type: 'string' } },
                required: ['pointer', 'detail'],
              },
            },
          },
          required: ['type', 'title', 'status'],
        },
      },
    },
  };
};

export const OPENAPI_FILE = 'functions/api/openapi.json';

/** The file GET /openapi.json serves, as `npm run update:openapi` writes it. */
export const renderOpenApi = (): string => `${JSON.stringify(openApiDocument(pkg.version), null, 2)}\n`;
