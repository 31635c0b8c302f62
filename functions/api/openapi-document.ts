import * as z from 'zod';
import { type Route, routeScopes, routes } from '../catalogue';
import { scopes } from '../domain/caller';
import { PROBLEM_TYPE_BASE, type ProblemSlug, problemTypes } from '../domain/problem';
import { REFERENCE_PATTERN } from '../domain/reference';
import { ONE_LINE } from '../domain/text';
import pkg from '../../package.json' with { type: 'json' };
import { MAX_BODY_BYTES } from './http';

/**
 * The API's OpenAPI 3.1 description, built from the route catalogue the stack and the sandbox both
 * use (functions/catalogue.ts: each route's access, request, query, headers, answer and problems) and
 * the zod schemas it names, which also validate the requests and shape the answers. What JSON
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
  for (const [status, slugs] of Object.entries(route.problems ?? {})) add(Number(status), ...(slugs as ProblemSlug[]));
  return problems;
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

const queryParameters = (query: NonNullable<Route['query']>) => {
  const schema = jsonSchema(query, 'input') as { properties: Record<string, Schema> };
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
};

const pageResponses = (route: Route): Record<string, unknown> => ({
  '200': { description: 'The page.', content: htmlContent },
  '403': { description: 'The link is incomplete, altered or forged (a page).', content: htmlContent },
  '409': { description: 'Already decided or recorded (a page).', content: htmlContent },
  '410': { description: 'The link has expired, or the case has moved on (a page).', content: htmlContent },
  ...(route.method === 'POST'
    ? { '422': { description: 'The form is incomplete or mistyped: the page again, saying what to correct; nothing is changed.', content: htmlContent } }
    : {}),
});

const successOf = (route: Route): Record<string, unknown> => {
  if (route.access === 'signed-link') return pageResponses(route);
  const { answer } = route;
  if (!answer) throw new Error(`route ${route.method} ${route.path} declares no answer in the catalogue`);
  return {
    [String(answer.status)]: {
      description: answer.description,
      ...(answer.headers ? { headers: answer.headers } : {}),
      content: { 'application/json': { schema: answer.body ? ref(answer.body.name) : { type: 'object' } } },
    },
  };
};

const operationOf = (route: Route) => {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const security = route.access === 'signed-link' || route.access === 'public' ? [] : routeScopes(route).map((scope) => ({ oauth2: [scope] }));
  const json = route.request && 'json' in route.request ? route.request : undefined;
  const form = route.request && 'form' in route.request ? route.request : undefined;
  const parameters = [
    ...names.map(pathParameter),
    ...(route.query ? queryParameters(route.query) : []),
    ...(route.access === 'signed-link' && route.method !== 'POST' ? signedLinkParameters(route) : []),
    ...(route.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description,
      schema: { type: 'string', pattern: h.pattern },
    })),
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
                  properties: Object.fromEntries(Object.entries(form.form).map(([k, d]) => [k, { type: 'string', description: d }])),
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

/** Each route's request body as `<route>Request`, and every answer's body by the name the catalogue gives it. */
const componentSchemas = (): Record<string, Schema> => {
  const schemas: Record<string, Schema> = {};
  for (const route of routes) {
    if (route.request && 'json' in route.request) schemas[`${route.name}Request`] = jsonSchema(route.request.json, 'input');
  }
  for (const route of routes) {
    const body = route.answer?.body;
    if (body && !schemas[body.name]) schemas[body.name] = jsonSchema(body.schema, 'output');
  }
  return schemas;
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
        ...componentSchemas(),
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
