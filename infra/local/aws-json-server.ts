import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
): Promise<{ server: Server; url: string }> => {
  const contentType = `application/x-amz-json-${protocol}`;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(`${servicePrefix}.`) ? operations[target.slice(servicePrefix.length + 1)] : undefined;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': contentType });
      res.end(JSON.stringify(body));
    };
    if (!operation) return reply(400, { __type: 'UnknownOperationException', message: `unsupported: ${target}` });
    try {
      const input = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      reply(200, (await operation(input)) ?? {});
    } catch (error) {
      const e = error as Error & { code?: string };
      if (error instanceof AwsServiceError || (e.name && e.name !== 'Error' && !(error instanceof TypeError))) {
        return reply(400, { __type: error instanceof AwsServiceError ? error.code : e.name, message: e.message });
      }
      reply(500, { __type: 'InternalFailure', message: e.message });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
