import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeScopes } from '../../functions/catalogue';
import { scopes as scopeNames } from '../../functions/domain/caller';
import type { AuthorizerContext } from '../../functions/use-cases/access-tokens';
import { AUTHORIZER_CACHE_SECONDS } from '../constructs/notifications-api';
import { arn, recordAwsCall } from './aws-calls';
import { isReference } from '../../functions/domain/reference';
import { readBody, refuseTooLarge, serveSafely } from './http-kit';
import { type LocalLambda, type Release, currentRelease } from './release';

/**
 * The HTTP API on localhost: each request becomes the API Gateway (HTTP API, payload 2.0)
 * event the same route's Lambda receives in AWS, from the route table of the release deployed.
 * Routes with scopes are behind the release's Lambda authorizer, invoked through the sandbox's
 * Lambda as API Gateway invokes it, with its cache, and answered as API Gateway answers
 * (AWS's API Gateway documentation, "Working with AWS Lambda authorizers for HTTP APIs"): an
 * identity source missing or empty, 401 `{"message":"Unauthorized"}` without invoking it;
 * `isAuthorized: false`, 403 `{"message":"Forbidden"}`; the authorizer failing, 500
 * `{"message":"Internal Server Error"}`; otherwise the route's function gets its context in
 * `requestContext.authorizer.lambda`.
 *
 * A release from before the register of SEC Users (v1.1.0 and earlier) had Cognito's token
 * endpoint and API Gateway's JWT authorizer, which the sandbox cannot run: while one is deployed,
 * the token endpoint and the authorizer are this tree's, and the authorizer's verdict reaches the
 * release's functions as its JWT authorizer gave it (`authorizer.jwt`: `client_id`, `scope`).
 */
type Route = Release['routes'][number];

const compile = (route: Route) => {
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, regex: new RegExp(`^${pattern}$`) };
};

/** API Gateway HTTP APIs reject larger payloads before any Lambda runs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * An HTTP API's quota on the total size of a request's line and header values (10,240 bytes, not
 * adjustable): beyond it the request reaches no route. AWS does not document the answer's status;
 * 431 (RFC 6585) with the words users report seeing stands in for it.
 */
export const GATEWAY_REQUEST_LINE_AND_HEADERS = 10_240;
const GATEWAY_TOO_LARGE = { status: 431, body: '{"message":"HTTP header is larger than 10240 bytes."}' };

const lineAndHeaderBytes = (req: IncomingMessage): number =>
  Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}`) +
  req.rawHeaders.filter((_, i) => i % 2 === 1).reduce((n, value) => n + Buffer.byteLength(value), 0);

type Authorizer = { lambda: AuthorizerContext } | { jwt: { claims: Record<string, string>; scopes: string[] } };

/**
 * API Gateway HTTP APIs hand a Lambda the body of a text content type as a string and any other
 * (a form, a missing Content-Type) base64-encoded with isBase64Encoded (found against AWS by
 * others: the types below are text, application/x-www-form-urlencoded is not). A text body's bytes
 * that are not UTF-8 become U+FFFD, as a UTF-8 decoder without errors makes them.
 */
const TEXT_TYPE = /^(text\/[^;]*|application\/(json|xml|javascript))\s*(;|$)/i;

const toEvent = (req: IncomingMessage, route: Route, pathParameters: Record<string, string>, raw: Buffer, authorizer?: Authorizer): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const asText = TEXT_TYPE.test(headers['content-type'] ?? '');
  const body = asText ? raw.toString('utf8') : raw.toString('base64');
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    },
    ...(raw.length ? { body } : {}),
    isBase64Encoded: raw.length > 0 && !asText,
  };
};

/** A request the API answered: by a function (its name), or by API Gateway itself (none). */
export interface AnsweredRequest {
  method: string;
  path: string;
  status: number;
  functionName?: string;
  /** The case it concerns, when its path or its Location names one. */
  reference?: string;
}

const REFERENCE_IN_PATH = /^\/notifications\/([^/?]+)/;

/** The functions that authenticate: the token endpoint's and the authorizer. */
const TOKEN_ENDPOINT_FUNCTION = 'IssueAccessToken';

/** API Gateway's cache of authorizer answers, by the identity sources; its clock can be moved on (a test's). */
export class AuthorizerCache {
  private readonly answers = new Map<string, { until: number; answer: { isAuthorized: boolean; context?: AuthorizerContext } }>();
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the cache's clock on, as if `seconds` had passed. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  get(key: string) {
    const hit = this.answers.get(key);
    if (hit && hit.until > this.now()) return hit.answer;
    this.answers.delete(key);
    return undefined;
  }

  set(key: string, answer: { isAuthorized: boolean; context?: AuthorizerContext }): void {
    this.answers.set(key, { until: this.now() + AUTHORIZER_CACHE_SECONDS * 1000, answer });
  }
}

export const startApiServer = async (
  lambda: LocalLambda,
  port = 0,
  onAnswer?: (answer: AnsweredRequest) => void,
  cache = new AuthorizerCache(),
): Promise<{ server: Server; url: string }> => {
  const thisTree = currentRelease();
  const authorizerName = thisTree.authorizer as string;
  const tokenRoutes = thisTree.routes.filter((r) => r.name === TOKEN_ENDPOINT_FUNCTION);
  const compiledRoutes = new WeakMap<Release, Array<ReturnType<typeof compile>>>();
  const routesOf = (release: Release) => {
    const own = release.authorizer ? release.routes : [...release.routes, ...tokenRoutes];
    const compiled = compiledRoutes.get(release) ?? own.map(compile);
    compiledRoutes.set(release, compiled);
    return compiled;
  };
  /** The release whose function this is: the one deployed, or this tree for the authentication an older release lacks. */
  const invoke = (name: string, event: unknown) => (lambda.release.entries[name] ? lambda.invoke(name, event) : lambda.invokeIn(thisTree, name, event));

  type Verdict = { isAuthorized: boolean; context?: AuthorizerContext } | 'error';
  /** Answers being asked for: simultaneous requests with the same identity sources share one invocation, so a burst costs the sandbox one. */
  const pending = new Map<string, Promise<Verdict>>();

  /** The authorizer's answer for a request to a route: API Gateway's cache, or a call to the function (recorded as API Gateway's). */
  const authorize = (req: IncomingMessage, route: Route, url: URL): Promise<Verdict> => {
    const routeKey = `${route.method} ${route.path}`;
    const key = JSON.stringify([req.headers.authorization ?? '', routeKey]);
    const cached = cache.get(key);
    if (cached) return Promise.resolve(cached);
    let asked = pending.get(key);
    if (!asked) {
      asked = invokeAuthorizer(req, route, url, key).finally(() => pending.delete(key));
      pending.set(key, asked);
    }
    return asked;
  };

  const invokeAuthorizer = async (req: IncomingMessage, route: Route, url: URL, key: string): Promise<Verdict> => {
    const routeKey = `${route.method} ${route.path}`;
    const authorization = req.headers.authorization ?? '';
    const name = lambda.release.authorizer ?? authorizerName;
    recordAwsCall({
      principal: 'service:apigateway.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: `\${function:${name}}`,
      context: { 'aws:SourceArn': arn('execute-api', `\${api-id}/authorizers/\${authorizer-id}`) },
    });
    const headers: Record<string, string> = {};
    for (const [header, value] of Object.entries(req.headers)) if (value !== undefined) headers[header] = Array.isArray(value) ? value.join(',') : value;
    const event = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:eu-west-2:000000000000:local/$default/${route.method}${route.path}`,
      identitySource: [authorization, routeKey],
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      requestContext: { http: { method: req.method, path: url.pathname, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' }, routeKey, stage: '$default' },
    };
    try {
      const answer = (await invoke(name, event)) as { isAuthorized?: unknown; context?: AuthorizerContext };
      const verdict = answer?.isAuthorized === true ? { isAuthorized: true, ...(answer.context ? { context: answer.context } : {}) } : { isAuthorized: false };
      cache.set(key, verdict);
      return verdict;
    } catch {
      return 'error';
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let functionName: string | undefined;
    let location = '';
    res.once('finish', () => {
      const reference = [path, location].map((p) => REFERENCE_IN_PATH.exec(p)?.[1]).find((r) => r && isReference(r));
      onAnswer?.({ method: req.method ?? 'GET', path, status: res.statusCode, ...(functionName ? { functionName } : {}), ...(reference ? { reference } : {}) });
    });
    if (lineAndHeaderBytes(req) > GATEWAY_REQUEST_LINE_AND_HEADERS) {
      req.resume();
      res.writeHead(GATEWAY_TOO_LARGE.status, { 'Content-Type': 'application/json' }).end(GATEWAY_TOO_LARGE.body);
      return;
    }
    const match = routesOf(lambda.release)
      .filter((c) => c.route.method === req.method || c.route.method === 'ANY')
      .map((c) => ({ c, m: c.regex.exec(path) }))
      .find((x) => x.m);
    if (!match?.m) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(match.c.names.map((n, i) => [n, decodeURIComponent(match.m?.[i + 1] ?? '')]));
    } catch {
      // A malformed percent-encoding: API Gateway refuses the request itself.
      res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"Bad Request"}');
      return;
    }
    let authorizer: Authorizer | undefined;
    if (routeScopes(match.c.route).length) {
      const refuse = (status: number, message: string) => {
        req.resume();
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message }));
      };
      // An identity source missing or empty: API Gateway answers 401 without invoking the authorizer.
      if (!req.headers.authorization) return refuse(401, 'Unauthorized');
      const verdict = await authorize(req, match.c.route, new URL(req.url ?? '/', 'http://localhost'));
      if (verdict === 'error') return refuse(500, 'Internal Server Error');
      if (!verdict.isAuthorized || !verdict.context) return refuse(403, 'Forbidden');
      const { clientId, kind } = verdict.context;
      const scope = kind === 'SECAS' ? scopeNames.secas : scopeNames.user;
      authorizer = lambda.release.authorizer ? { lambda: verdict.context } : { jwt: { claims: { client_id: clientId, scope }, scopes: [scope] } };
    }
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body === 'too-large') return refuseTooLarge(res, { 'Content-Type': 'application/json' }, '{"message":"Request Entity Too Large"}');
    const event = toEvent(req, match.c.route, pathParameters, body, authorizer);
    functionName = match.c.route.name;
    // API Gateway invokes the route's function on its resource policy, as the API's route.
    recordAwsCall({
      principal: 'service:apigateway.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: `\${function:${match.c.route.name}}`,
      context: { 'aws:SourceArn': arn('execute-api', `\${api-id}/$default/${req.method}${match.c.route.path}`) },
    });
    const result = (await invoke(match.c.route.name, event)) as APIGatewayProxyStructuredResultV2;
    const headers = { ...(result.headers ?? {}) } as Record<string, string | number | boolean>;
    location = String(headers.Location ?? headers.location ?? '');
    res.writeHead(result.statusCode ?? 200, Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])));
    res.end(req.method === 'HEAD' ? undefined : result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
  };

  // What API Gateway answers when the integration itself fails; the sandbox itself carries on.
  const server = createServer(serveSafely(serve, { headers: { 'Content-Type': 'application/json' }, body: '{"message":"Internal Server Error"}' }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
};
