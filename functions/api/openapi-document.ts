import * as z from 'zod';
import { type Route, routeScopes, routes } from '../catalogue';
import { scopes } from '../domain/caller';
import { CaseDisposal } from '../domain/disposal';
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

interface ResponseObject {
  description: string;
  headers?: Record<string, unknown>;
  content: Record<string, unknown>;
}

const problemResponse = (slugs: ProblemSlug[]): ResponseObject => ({
  description: slugs.map((slug) => `\`${slug}\`: ${problemTypes[slug].meaning}`).join(' '),
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const htmlContent = { 'text/html': { schema: { type: 'string' } } };

/**
 * What API Gateway answers itself, before any function runs, as it answers it: `application/json`
 * `{"message": …}`. An HTTP API cannot shape these (it has no gateway responses, unlike a REST API),
 * so the document says them as they are. The sandbox's API server gives the same answers.
 */
const GATEWAY = {
  unauthorized: {
    status: 401,
    message: 'Unauthorized',
    why: 'API Gateway: no Authorization header (its Lambda authorizer is not even invoked).',
  },
  forbidden: {
    status: 403,
    message: 'Forbidden',
    why: "API Gateway: its Lambda authorizer refused the token: not one the API signed, altered, expired, of a client suspended or offboarded or a key retired, or without this route's scope. The authorizer's answer is cached 300 s per token and route, so a suspension or a retired key takes effect within 5 minutes.",
  },
  badPath: { status: 400, message: 'Bad Request', why: 'API Gateway: a path it cannot decode (a malformed percent-encoding).' },
  tooLarge: { status: 413, message: 'Request Entity Too Large', why: "API Gateway: a body over its 10 MB limit (a function's own limit is lower)." },
  failed: {
    status: 500,
    message: 'Internal Server Error',
    why: 'API Gateway: the function, or the Lambda authorizer before it, failed to answer (it crashed or timed out).',
  },
  noRoute: { status: 404, message: 'Not Found', why: 'API Gateway: no route has this method and path.' },
} as const;
type GatewayAnswer = (typeof GATEWAY)[keyof typeof GATEWAY];

/** The gateway's answers a route can meet: its authorizer's, a path it cannot decode, a body too large, a function that failed. */
const gatewayAnswers = (route: Route): GatewayAnswer[] => [
  ...(routeScopes(route).length ? [GATEWAY.unauthorized, GATEWAY.forbidden] : []),
  ...(route.path.includes('{') ? [GATEWAY.badPath] : []),
  ...(route.method === 'POST' || route.method === 'PATCH' ? [GATEWAY.tooLarge] : []),
  GATEWAY.failed,
];

const gatewayContent = (answer: GatewayAnswer) => ({ 'application/json': { schema: ref('GatewayMessage'), example: { message: answer.message } } });

/** Adds an answer to a status's response: each media type once, the descriptions one after the other. */
const addAnswer = (responses: Record<string, ResponseObject>, status: string, answer: ResponseObject) => {
  const existing = responses[status];
  if (!existing) {
    responses[status] = answer;
    return;
  }
  existing.description = `${existing.description} ${answer.description}`;
  for (const [type, media] of Object.entries(answer.content)) {
    const had = existing.content[type] as { schema: unknown; example?: unknown } | undefined;
    // Two messages of API Gateway's under one status (none so far) share its schema; the first example stands.
    if (!had) existing.content[type] = media;
  }
};

/**
 * The statuses each route's function can answer with a problem, by what it does. A missing or bad
 * token, and a token without the route's scope, never reach a function: API Gateway answers them
 * (gatewayAnswers).
 */
const problemsOf = (route: Route): Record<string, ProblemSlug[]> => {
  const problems: Record<string, ProblemSlug[]> = { '500': ['internal'], '503': ['dependency-unavailable'] };
  const add = (status: number, ...slugs: ProblemSlug[]) => {
    problems[String(status)] = [...(problems[String(status)] ?? []), ...slugs];
  };
  if (route.method === 'POST' || route.method === 'PATCH') {
    add(400, 'malformed-json', 'duplicate-key', 'invalid-encoding', 'bad-request');
    add(413, 'payload-too-large');
    add(415, 'unsupported-media-type');
    add(422, 'validation', 'forbidden-key');
  }
  if (route.path.includes('{reference}')) add(404, 'not-found');
  // Whatever is asked of a case disposed of at the end of its retention (its owner and SECAS are told; anyone else gets the 404).
  if (route.path.startsWith('/notifications/{reference}')) add(410, 'gone');
  // The actions on a case (answer, withdraw, record): its reads (verification, case file) neither conflict nor reach the workflow.
  if (route.method === 'POST' && route.path.startsWith('/notifications/{reference}/')) {
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

const pageResponses = (route: Route): Record<string, ResponseObject> => ({
  '200': { description: 'The page.', content: htmlContent },
  '403': { description: 'The link is incomplete, altered or forged (a page).', content: htmlContent },
  '409': { description: 'Already decided or recorded (a page).', content: htmlContent },
  '410': { description: 'The link has expired, or the case has moved on (a page).', content: htmlContent },
  ...(route.method === 'POST'
    ? { '422': { description: 'The form is incomplete or mistyped: the page again, saying what to correct; nothing is changed.', content: htmlContent } }
    : {}),
  default: {
    description:
      "Any other status (a form that cannot be read, a service passing through a fault): a page saying what happened, what to do and that nothing changed; or API Gateway's own answer, in JSON.",
    content: { ...htmlContent, 'application/json': { schema: ref('GatewayMessage') } },
  },
});

const successOf = (route: Route): Record<string, ResponseObject> => {
  if (route.access === 'signed-link') return pageResponses(route);
  const { answer } = route;
  if (!answer) throw new Error(`route ${route.method} ${route.path} declares no answer in the catalogue`);
  return {
    [String(answer.status)]: {
      description: answer.description,
      ...(answer.headers ? { headers: answer.headers } : {}),
      content: {
        'application/json': { schema: answer.body ? ref(answer.body.name) : { type: 'object' } },
        ...Object.fromEntries(Object.entries(answer.alsoAs ?? {}).map(([type, description]) => [type, { schema: { type: 'string', description } }])),
      },
    },
  };
};

/** Pages for people are marked apart, so that client generators can leave them out (they answer HTML, not JSON). */
export const PAGES_TAG = 'Pages for people';
const TAGS = [
  { name: 'Notifications', description: "A SEC User's notifications and their cases; SECAS's view of every case and its assessment records. JSON." },
  {
    name: PAGES_TAG,
    description:
      "Web pages a person opens from a signed link in an email (the SSC's decisions, SECAS's assessment records): they answer `text/html`, and a form posts back to them. Not for API clients: a client generator should leave this tag out (orval: `input.filters: { mode: 'exclude', tags: ['Pages for people'] }`; hey-api: `parser.filters.tags.exclude`; openapi-typescript generates types only, which do no harm).",
    'x-displayName': 'Pages for people (HTML)',
  },
  {
    name: 'Access',
    description:
      "Who may call the API. The token endpoint: a registered client proves itself with a JWT signed by its own private key (RFC 7523 private_key_jwt) and gets an access token. SECAS's register of SEC Users: register a User, add and retire its public keys (two may be active, for rotation), suspend, reinstate, offboard; each change audited with the officer named.",
  },
  { name: 'Description', description: 'This document.' },
];
const tagOf = (route: Route): string => {
  if (route.access === 'signed-link') return PAGES_TAG;
  if (route.access === 'public') return 'Description';
  return route.access === 'client-assertion' || route.path.startsWith('/clients') ? 'Access' : 'Notifications';
};

/** The token endpoint's errors (RFC 6749 §5.2): JSON `{"error": …}`, never a problem document, saying nothing of what failed. */
const OAUTH_ERRORS: Record<string, [string, string[]]> = {
  '400': [
    'The request is not a client-credentials request with a JWT-bearer client assertion (a form of these three fields).',
    ['invalid_request', 'unsupported_grant_type'],
  ],
  '401': [
    'The assertion is refused: malformed, too large, unsigned or signed with another algorithm or key than the one registered under its kid, expired, dated ahead, living more than 300 s, for another audience, of a client not registered, suspended or offboarded, of a retired key, or replayed (its jti used before). One answer for all, in the same time.',
    ['invalid_client'],
  ],
  '500': ['A fault of ours; logged.', ['server_error']],
  '503': ['A service the endpoint depends on is passing through a fault; retry after Retry-After seconds.', ['temporarily_unavailable']],
};
const oauthErrorResponses = (): Record<string, ResponseObject> =>
  Object.fromEntries(
    Object.entries(OAUTH_ERRORS).map(([status, [description, errors]]) => [
      status,
      { description, content: { 'application/json': { schema: ref('OAuthError'), example: { error: errors[0] } } } },
    ]),
  );

const operationIdOf = (route: Route): string => route.operationId ?? route.name;

const operationOf = (route: Route) => {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const security = routeScopes(route).length ? routeScopes(route).map((scope) => ({ oauth2: [scope] })) : [];
  const json = route.request && 'json' in route.request ? route.request : undefined;
  const form = route.request && 'form' in route.request ? route.request : undefined;
  const parameters = [
    ...names.map(pathParameter),
    ...(route.query ? queryParameters(route.query) : []),
    ...(route.access === 'signed-link' && route.method !== 'POST' ? signedLinkParameters(route) : []),
    ...(route.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: h.required ?? false,
      description: h.description,
      schema: { type: 'string', pattern: h.pattern },
    })),
  ];
  const responses = successOf(route);
  if (route.access === 'client-assertion') Object.assign(responses, oauthErrorResponses());
  else if (route.access !== 'signed-link') {
    for (const [status, slugs] of Object.entries(problemsOf(route))) addAnswer(responses, status, problemResponse(slugs));
    for (const answer of gatewayAnswers(route)) addAnswer(responses, String(answer.status), { description: answer.why, content: gatewayContent(answer) });
  }
  return {
    operationId: route.method === 'HEAD' ? `${operationIdOf(route)}Head` : operationIdOf(route),
    summary: `${route.method} ${route.path}`,
    tags: [tagOf(route)],
    security,
    ...(parameters.length ? { parameters } : {}),
    ...(json
      ? {
          requestBody: {
            required: true,
            description: json.description,
            content: Object.fromEntries(
              // A merge patch is also sent as its own media type (RFC 7396 §4).
              (route.method === 'PATCH' ? ['application/merge-patch+json', 'application/json'] : ['application/json']).map((type) => [
                type,
                {
                  schema: ref(`${operationIdOf(route)}Request`),
                  ...(json.examples ? { examples: Object.fromEntries(Object.entries(json.examples).map(([name, value]) => [name, { value }])) } : {}),
                },
              ]),
            ),
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
    responses,
  };
};

/** Each route's request body as `<route>Request`, and every answer's body by the name the catalogue gives it. */
const componentSchemas = (): Record<string, Schema> => {
  const schemas: Record<string, Schema> = {};
  for (const route of routes) {
    if (route.request && 'json' in route.request) schemas[`${operationIdOf(route)}Request`] = jsonSchema(route.request.json, 'input');
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
        `API Gateway answers some requests itself, before any function runs, in its own form: \`application/json\` \`{"message": …}\`. ${Object.values(GATEWAY)
          .map((a) => `${a.status} \`{"message":"${a.message}"}\`: ${a.why.replace('API Gateway: ', '')}`)
          .join(
            ' ',
          )} When throttled it answers 429 \`{"message":"Too Many Requests"}\`. Each operation lists those it can meet; an unknown route or method is 404 \`{"message":"Not Found"}\` (components.responses.NoSuchRoute). An HTTP API cannot give these as problem documents: it has no customisable gateway responses.`,
        `The operations tagged "${PAGES_TAG}" are web pages for people, behind signed links in emails: they answer \`text/html\` and are not for API clients.`,
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    security: [],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description:
            "OAuth 2.0 client credentials, the client authenticated by a JWT signed with its own private key (RFC 7523 private_key_jwt; no secret): each SEC User's machine client, and SECAS's, registered by SECAS with their public keys. The access token (a JWT the API signs, ES256) is sent as `Authorization: Bearer <token>`. A User sees and acts on its own cases only.",
          flows: {
            clientCredentials: {
              tokenUrl: '/oauth2/token',
              scopes: { [scopes.user]: 'A SEC User: file and follow its own notifications', [scopes.secas]: 'SECAS: every case, and the assessment records' },
            },
          },
        },
      },
      responses: {
        NoSuchRoute: { description: GATEWAY.noRoute.why, content: gatewayContent(GATEWAY.noRoute) },
      },
      schemas: {
        ...componentSchemas(),
        CaseDisposal: jsonSchema(CaseDisposal, 'output'),
        OAuthError: {
          type: 'object',
          description: "The token endpoint's error (RFC 6749 §5.2)",
          properties: {
            error: { type: 'string', enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'server_error', 'temporarily_unavailable'] },
          },
          required: ['error'],
          additionalProperties: false,
        },
        GatewayMessage: {
          type: 'object',
          description:
            "API Gateway's own answer, before any function runs (no token, a token its Lambda authorizer refused, no such route, a function that failed).",
          properties: { message: { type: 'string' } },
          required: ['message'],
          additionalProperties: false,
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
            disposal: { ...ref('CaseDisposal'), description: "The `gone` problem (410): the disposed case's record" },
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
