import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';
import { jsonContentTypePattern } from '@middy/util';
import jsonlint from '@prantlf/jsonlint';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { isTransient } from '../adapters/errors';
import { logger } from '../adapters/powertools';
import { errorPage as personErrorPage } from '../domain/error-pages';
import type * as z from 'zod';
import { Problem, invalidFields, validationProblem } from '../domain/problem';
import type { Accepted } from '../domain/responses';
import type { Caller } from '../domain/caller';
import { isReference } from '../domain/reference';

export type HttpEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body?: unknown };
export type HttpResult = APIGatewayProxyStructuredResultV2;
type Handler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

interface HttpError {
  statusCode: number;
  message: string;
  cause?: { package?: string };
}
const isHttpError = (error: unknown): error is HttpError => error instanceof Error && typeof (error as Partial<HttpError>).statusCode === 'number';

/**
 * Any error as a Problem: our own as they are, middy's (bad content type, malformed JSON)
 * translated, and anything else as a 500 that says nothing about the internals.
 */
const asProblem = (error: unknown): Problem => {
  if (error instanceof Problem) return error;
  if (isTransient(error)) {
    logger.warn('a dependency is unavailable', error as Error);
    return new Problem(
      503,
      'dependency-unavailable',
      'Service unavailable',
      'A service this request depends on is unavailable. Nothing has been changed; please retry.',
      {
        headers: { 'Retry-After': '30' },
      },
    );
  }
  if (isHttpError(error) && error.statusCode === 415) {
    return new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.');
  }
  if (isHttpError(error) && error.cause?.package === '@middy/http-json-body-parser') {
    return error.message.startsWith('Forbidden key')
      ? new Problem(422, 'forbidden-key', 'Forbidden key', 'The body uses a reserved key (__proto__, constructor or prototype).')
      : new Problem(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
  }
  if (isHttpError(error) && error.statusCode < 500) {
    return new Problem(error.statusCode, 'bad-request', 'Bad request', error.message);
  }
  logger.error('unhandled error', error as Error);
  return new Problem(500, 'internal', 'Internal error', 'The request could not be completed. It has been logged.');
};

/** Renders every failure as application/problem+json (RFC 9457). */
const problemDetails = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const problem = asProblem(request.error);
    logger.debug('request answered', { route: request.event.routeKey, status: problem.status });
    request.response = {
      statusCode: problem.status,
      headers: { 'Content-Type': 'application/problem+json', ...problem.headers },
      body: JSON.stringify(problem.toDocument(request.event.rawPath)),
    };
  },
});

/**
 * For the pages behind emailed links: a failure becomes a page a person understands (what
 * happened, what to do, whether anything changed), never a stack trace or an API client's words.
 */
const errorPage = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const problem = asProblem(request.error);
    logger.debug('request answered', { route: request.event.routeKey, status: problem.status });
    request.response = htmlResponse(problem.status, personErrorPage(problem));
  },
});

/**
 * Every log line of a request carries API Gateway's request id (`correlation_id`), and its case's
 * reference when the path names one; keys are reset at each invocation.
 */
const requestLogging = () => injectLambdaContext(logger, { resetKeys: true });
/** Powertools' correlation-path option would bundle a JMESPath engine to read this one field. */
const referenceLogging = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: ({ event }) => {
    logger.setCorrelationId(event.requestContext.requestId);
    const reference = event.pathParameters?.reference;
    if (reference && isReference(reference)) logger.appendKeys({ reference });
  },
  after: ({ event, response }) => logger.debug('request answered', { route: event.routeKey, status: response?.statusCode }),
});

/** Bodies larger than any real notification are refused before they are parsed. */
export const MAX_BODY_BYTES = 256 * 1024;

const bodyLimit = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: ({ event }) => {
    const body = typeof event.body === 'string' ? event.body : '';
    const bytes = event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_BODY_BYTES) {
      throw new Problem(413, 'payload-too-large', 'Payload too large', `The body may be at most ${MAX_BODY_BYTES} bytes.`);
    }
  },
});

const contentType = (event: HttpEvent): string => event.headers?.['content-type'] ?? '';

/**
 * The body as text, refused (400) unless it is UTF-8. API Gateway passes a JSON or other text body
 * as a string, having decoded it (bytes that were not UTF-8 arrive as U+FFFD, so a raw U+FFFD is
 * refused: a client that means one can send the escape \ufffd), and any other content type, such
 * as a form, base64-encoded, to be decoded here strictly rather than with replacements.
 */
const utf8Text = (event: HttpEvent): string => {
  const body = typeof event.body === 'string' ? event.body : '';
  const notUtf8 = (detail: string) => new Problem(400, 'invalid-encoding', 'The body is not UTF-8', detail);
  if (event.isBase64Encoded) {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(body, 'base64'));
    } catch {
      throw notUtf8('The body holds bytes that are not UTF-8. Send it as UTF-8.');
    }
  }
  const replaced = body.indexOf('\ufffd');
  if (replaced >= 0)
    throw notUtf8(
      `The body holds U+FFFD (at character ${replaced}), which stands where bytes that were not UTF-8 were received. Send it as UTF-8; a U+FFFD meant as such can be written \\ufffd.`,
    );
  return body;
};

/**
 * A JSON body that is UTF-8 and gives each key of an object once, at any depth: JSON.parse keeps
 * the last of two, so a body could say one thing to a reader or a signature check and another to
 * the API. @prantlf/jsonlint finds a repeated key (even one spelled with escapes) and where it is;
 * anything else it cannot parse is left to the JSON parser to refuse as malformed.
 */
const jsonText = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: ({ event }) => {
    if (typeof event.body !== 'string' || !jsonContentTypePattern.test(contentType(event))) return;
    const text = utf8Text(event);
    event.body = text;
    event.isBase64Encoded = false;
    try {
      jsonlint.parse(text, { allowDuplicateObjectKeys: false });
    } catch (error) {
      const { reason, location } = error as { reason?: string; location?: { start?: { line: number; column: number } } };
      if (!reason?.startsWith('Duplicate key')) return;
      const at = location?.start ? ` (line ${location.start.line}, column ${location.start.column})` : '';
      throw new Problem(
        400,
        'duplicate-key',
        'Duplicate key',
        `An object in the body gives the key ${reason.slice('Duplicate key: '.length)} twice${at}. Give each key once.`,
      );
    }
  },
});

/**
 * A form body that is UTF-8 and whose percent-encoded bytes are UTF-8 too (the form parser would
 * put U+FFFD in their place without a word): otherwise the person gets a page saying so.
 */
const formText = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: ({ event }) => {
    if (typeof event.body !== 'string' || !/^application\/x-www-form-urlencoded(;|$)/i.test(contentType(event))) return;
    const text = utf8Text(event);
    try {
      decodeURIComponent(text.replaceAll('+', ' '));
    } catch {
      throw new Problem(400, 'invalid-encoding', 'The form is not UTF-8', 'A field of the form is not percent-encoded UTF-8.');
    }
    event.body = text;
    event.isBase64Encoded = false;
  },
});

const pointerTo = (pointer: string, key: string) => `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * Where in a parsed body a text (key or value) is not well-formed Unicode: a lone surrogate,
 * which JSON's \u escapes can carry but no UTF-8 store, mail header or page can. Written here
 * because neither JSON.parse nor zod checks it.
 */
const illFormedAt = (value: unknown, pointer: string): string | undefined => {
  if (typeof value === 'string') return value.isWellFormed() ? undefined : pointer || '/';
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (!key.isWellFormed()) return pointerTo(pointer, key.toWellFormed());
    const found = illFormedAt(item, pointerTo(pointer, key));
    if (found) return found;
  }
  return undefined;
};

const wellFormedText = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: ({ event }) => {
    const at = illFormedAt(event.body, '');
    if (at) throw invalidFields([{ pointer: at, detail: 'must be well-formed Unicode text (it holds half of a surrogate pair)' }]);
  },
});

/**
 * Every JSON answer, success or problem, carries confidential case data or says something about
 * it: no cache may keep it, and no browser may read it as anything but JSON. Used first, so it
 * runs last, after the problem details are written.
 */
const jsonResponseHeaders = (): MiddlewareObj<HttpEvent, HttpResult> => {
  const mark = ({ response }: { response: HttpResult | null | undefined }) => {
    if (response) response.headers = { ...response.headers, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  };
  return { after: mark, onError: mark };
};

export const jsonApi = (handler: Handler, options: { body: 'json' | 'none' }) => {
  const chain = middy<HttpEvent, HttpResult>(handler).use(jsonResponseHeaders()).use(requestLogging()).use(referenceLogging()).use(httpHeaderNormalizer());
  if (options.body === 'json') chain.use(bodyLimit()).use(jsonText()).use(httpJsonBodyParser()).use(wellFormedText());
  return chain.use(problemDetails());
};

/**
 * The SSC's confirmation and result pages: no scripts, styles inline, forms post only to
 * this origin, never cached, never framed, never indexed.
 */
export const htmlPage = (handler: Handler, options: { body: 'form' | 'none' }) => {
  const chain = middy<HttpEvent, HttpResult>(handler)
    .use(requestLogging())
    .use(referenceLogging())
    .use(httpHeaderNormalizer())
    .use(
      httpSecurityHeaders({
        contentSecurityPolicy: {
          'default-src': "'none'",
          'style-src': "'unsafe-inline'",
          'form-action': "'self'",
          sandbox: null,
          'report-to': null,
          // The API is HTTPS in AWS; locally it is http://localhost, which must not be upgraded.
          'upgrade-insecure-requests': null,
        },
      } as never),
    );
  if (options.body === 'form') chain.use(bodyLimit()).use(formText()).use(httpUrlencodeBodyParser());
  return chain.use(errorPage());
};

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const htmlResponse = (statusCode: number, body: string): HttpResult => ({
  statusCode,
  headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Robots-Tag': 'noindex, nofollow',
  },
  body,
});

/** The body, validated by its schema: a 422 naming every bad field otherwise. */
export const parseBody = <S extends z.ZodType>(schema: S, event: HttpEvent): z.infer<S> => {
  const parsed = schema.safeParse(event.body);
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
};

/** 202: the action is taken; the workflow carries it on. */
export const accepted = (reference: string, message: string): HttpResult => {
  const body: Accepted = { reference, message, links: { self: `/notifications/${reference}` } };
  return json(202, body, { Location: body.links.self });
};

interface LambdaAuthorizerContext {
  authorizer?: { lambda?: { clientId?: unknown; kind?: unknown } };
}

/**
 * The caller, as the API's Lambda authorizer (functions/api/authorize-request.ts) verified it: its
 * client id and kind, passed by API Gateway in `requestContext.authorizer.lambda`. The authorizer
 * already refused tokens without one of the route's scopes; this check stands behind it, so a
 * misconfigured route still admits no one it should not.
 */
export const callerOf = (event: HttpEvent, allowed: ReadonlyArray<Caller['kind']>): Caller => {
  const verified = (event.requestContext as LambdaAuthorizerContext).authorizer?.lambda;
  const clientId = verified?.clientId;
  if (typeof clientId !== 'string' || clientId === '') {
    throw new Problem(401, 'unauthenticated', 'Unauthenticated', 'Send an OAuth 2.0 access token: Authorization: Bearer <token>.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  }
  const kind = verified?.kind === 'SECAS' || verified?.kind === 'User' ? verified.kind : undefined;
  if (!kind || !allowed.includes(kind)) {
    throw new Problem(403, 'forbidden', 'Forbidden', `This operation is for ${allowed.join(' or ')} clients.`);
  }
  return { kind, id: clientId };
};

/**
 * The token endpoint's chain: its errors are OAuth's (RFC 6749 §5.2), JSON `{"error": …}`, never a
 * problem document, and say nothing of what failed; a fault of ours is a 500 `server_error`.
 */
export const oauthEndpoint = (handler: Handler) =>
  middy<HttpEvent, HttpResult>(handler)
    .use(jsonResponseHeaders())
    .use(requestLogging())
    .use(referenceLogging())
    .use(httpHeaderNormalizer())
    .use({
      onError: (request) => {
        const transient = isTransient(request.error);
        if (transient) logger.warn('a dependency is unavailable', request.error as Error);
        else logger.error('unhandled error', request.error as Error);
        request.response = {
          statusCode: transient ? 503 : 500,
          headers: { 'Content-Type': 'application/json', ...(transient ? { 'Retry-After': '30' } : {}) },
          body: JSON.stringify({ error: transient ? 'temporarily_unavailable' : 'server_error' }),
        };
      },
    });

/** The form of a request (API Gateway passes it base64-encoded), or undefined when it is not one. */
export const formOf = (event: HttpEvent, maxBytes: number): URLSearchParams | undefined => {
  if (!/^application\/x-www-form-urlencoded(;|$)/i.test(contentType(event))) return undefined;
  const raw = typeof event.body === 'string' ? event.body : '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > maxBytes) return undefined;
  try {
    return new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
};
