import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, refuseTooLarge, serveSafely } from './http-kit';

/**
 * A minimal server for the AWS JSON protocols (1.0 and 1.1): `X-Amz-Target: <Service>.<Operation>`,
 * a JSON body in and out, errors as `{ __type, message }` with status 400. Enough for the SDK
 * v3 clients the handlers use to talk to the sandbox's local services.
 */
export type Operations = Record<string, (input: Record<string, unknown>) => unknown>;

export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const startAwsJsonServer = async (
  protocol: '1.0' | '1.1',
  servicePrefix: string,
  operations: Operations,
  port = 0,
  /** The largest request body the service takes. */
  maxBodyBytes = 1024 * 1024,
): Promise<{ server: Server; url: string }> => {
  const contentType = `application/x-amz-json-${protocol}`;
  const failure = {
    headers: { 'Content-Type': contentType },
    body: JSON.stringify({ __type: 'InternalFailure', message: 'The request processing has failed.' }),
  };
  const server = createServer(
    serveSafely(async (req, res) => {
      const body = await readBody(req, maxBodyBytes);
      const reply = (status: number, answer: unknown) => {
        res.writeHead(status, { 'Content-Type': contentType });
        res.end(JSON.stringify(answer));
      };
      if (body === 'too-large')
        return refuseTooLarge(
          res,
          { 'Content-Type': contentType },
          JSON.stringify({ __type: 'RequestEntityTooLargeException', message: `Request body larger than ${maxBodyBytes} bytes` }),
        );
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(`${servicePrefix}.`) ? operations[target.slice(servicePrefix.length + 1)] : undefined;
      if (!operation) return reply(400, { __type: 'UnknownOperationException', message: `unsupported: ${target}` });
      let input: Record<string, unknown>;
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'The request body is not valid JSON' });
      }
      try {
        reply(200, (await operation(input)) ?? {});
      } catch (error) {
        const e = error as Error & { code?: string };
        if (error instanceof AwsServiceError || (e.name && e.name !== 'Error' && !(error instanceof TypeError))) {
          return reply(400, { __type: error instanceof AwsServiceError ? error.code : e.name, message: e.message });
        }
        reply(500, { __type: 'InternalFailure', message: e.message });
      }
    }, failure),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
