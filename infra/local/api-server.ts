import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routeScopes } from '../../functions/catalogue';
import { arn, recordAwsCall } from './aws-calls';
import { isReference } from '../../functions/domain/reference';
import { readBody, refuseTooLarge, serveSafely } from './http-kit';
import type { LocalLambda, Release } from './release';
import type { TokenIssuer } from './token-issuer';

/**
 * The HTTP API on localhost: each request becomes the API Gateway (HTTP API, payload 2.0)
 * event the same route's Lambda receives in AWS, from the route table of the release deployed.
 * Routes with scopes are behind a JWT authorizer, as in AWS: no valid token, 401; a token
 * without one of the route's scopes, 403; otherwise the handler gets the verified claims.
 * The sandbox's token endpoint (POST /oauth2/token) stands in for Cognito's.
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

type Authorizer = { jwt: { claims: Record<string, string>; scopes: string[] } };

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

const tokenEndpoint = async (issuer: TokenIssuer, req: IncomingMessage, body: string) => {
  const client = issuer.authenticateClient(req.headers.authorization);
  if (!client) return { status: 401, body: { error: 'invalid_client' } };
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
  const requested = form.get('scope');
  if (requested?.split(' ').some((scope) => !client.scope.split(' ').includes(scope))) return { status: 400, body: { error: 'invalid_scope' } };
  return { status: 200, body: { access_token: await issuer.issue(client), expires_in: 3600, token_type: 'Bearer' } };
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

export const startApiServer = async (
  issuer: TokenIssuer,
  lambda: LocalLambda,
  port = 0,
  onAnswer?: (answer: AnsweredRequest) => void,
): Promise<{ server: Server; url: string }> => {
  const compiledRoutes = new WeakMap<Release, Array<ReturnType<typeof compile>>>();
  const routesOf = (release: Release) => {
    const compiled = compiledRoutes.get(release) ?? release.routes.map(compile);
    compiledRoutes.set(release, compiled);
    return compiled;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let functionName: string | undefined;
    let location = '';
    res.once('finish', () => {
      const reference = [path, location].map((p) => REFERENCE_IN_PATH.exec(p)?.[1]).find((r) => r && isReference(r));
      onAnswer?.({ method: req.method ?? 'GET', path, status: res.statusCode, ...(functionName ? { functionName } : {}), ...(reference ? { reference } : {}) });
    });
    if (req.method === 'POST' && path === '/oauth2/token') {
      const body = await readBody(req, 64 * 1024);
      if (body === 'too-large') return refuseTooLarge(res, { 'Content-Type': 'application/json' }, '{"error":"invalid_request"}');
      const answer = await tokenEndpoint(issuer, req, body.toString('utf8'));
      res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(answer.body));
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
    const scopes = routeScopes(match.c.route);
    let authorizer: Authorizer | undefined;
    if (scopes.length) {
      const verdict = await issuer.authorize(req.headers.authorization, scopes);
      if (!verdict.ok) {
        req.resume();
        const [message, headers] = verdict.status === 401 ? ['Unauthorized', { 'WWW-Authenticate': 'Bearer' }] : ['Forbidden', {}];
        res.writeHead(verdict.status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify({ message }));
        return;
      }
      // As API Gateway passes them: every claim as a string, the scopes as a list.
      const claims = Object.fromEntries(Object.entries(verdict.claims).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      authorizer = { jwt: { claims, scopes: verdict.scopes } };
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
    const result = (await lambda.invoke(match.c.route.name, event)) as APIGatewayProxyStructuredResultV2;
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
