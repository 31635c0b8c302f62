import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forward, readBody, refuseTooLarge, relay, serveSafely } from './http-kit';

/**
 * A switchable fault in front of a local AWS service endpoint, for fault-injection tests and
 * for trying failures by hand. It forwards every request unchanged until told to fail the
 * matching ones, with the service's own error shape, either before the service sees the
 * request ('refuse': throttled, unavailable) or after it has acted ('lose-response': the work
 * is done but the caller never hears so, as when a connection drops).
 */
export interface FaultRule {
  /** Which requests: matched against `<X-Amz-Target header> <method> <path>`. */
  match?: RegExp;
  /** And, when given, against the request body (one DynamoDB update among many, say). */
  matchBody?: RegExp;
  /** How many matching requests fail; unlimited until `heal()` when omitted. */
  times?: number;
  mode?: 'refuse' | 'lose-response';
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** The AWS error each service's SDK reads as a throttle or an outage. */
export const awsFaults = {
  dynamodbThrottling: {
    status: 400,
    headers: { 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }),
  },
  dynamodbInternal: {
    status: 500,
    headers: { 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }),
  },
  sesThrottling: {
    status: 429,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException' },
    body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
  },
  sesUnavailable: {
    status: 503,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: 'Service Unavailable' }),
  },
  stepFunctionsUnavailable: {
    status: 503,
    headers: { 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: 'ServiceUnavailable', message: 'Service Unavailable' }),
  },
} satisfies Record<string, Omit<FaultRule, 'match' | 'times' | 'mode'>>;

export interface FaultProxy {
  url: string;
  server: Server;
  /** Fails matching requests as the rule says (replacing any earlier rule). */
  fail: (rule: FaultRule) => void;
  heal: () => void;
  /** How many requests the current or last rule failed. */
  readonly injected: number;
}

export const startFaultProxy = async (target: string): Promise<FaultProxy> => {
  const upstream = new URL(target);
  let rule: FaultRule | undefined;
  let remaining = Number.POSITIVE_INFINITY;
  let injected = 0;

  const server = createServer(
    serveSafely(
      async (req, res) => {
        const body = await readBody(req, 64 * 1024 * 1024);
        if (body === 'too-large') return refuseTooLarge(res, {}, '');
        const key = `${req.headers['x-amz-target'] ?? ''} ${req.method} ${req.url}`;
        const faulty =
          rule && remaining > 0 && (!rule.match || rule.match.test(key)) && (!rule.matchBody || rule.matchBody.test(body.toString('utf8'))) ? rule : undefined;
        const pass = () => forward(upstream, req.method ?? 'GET', req.url ?? '/', req.headers, body);
        if (faulty) {
          remaining--;
          injected++;
          if (faulty.mode === 'lose-response') await pass();
          res.writeHead(faulty.status, { 'x-amzn-RequestId': `fault-${injected}`, ...faulty.headers }).end(faulty.body);
          return;
        }
        relay(res, await pass());
      },
      { headers: {}, body: '' },
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    fail: (next) => {
      rule = next;
      remaining = next.times ?? Number.POSITIVE_INFINITY;
      injected = 0;
    },
    heal: () => {
      rule = undefined;
    },
    get injected() {
      return injected;
    },
  };
};
