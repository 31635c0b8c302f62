import { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, request } from 'node:http';

/**
 * What every local server of the sandbox does with a request, so that no client can take the
 * sandbox down: a client that hangs up mid-body ends its own request only; a body over the
 * server's limit is answered 413 and its connection closed once the answer is out (what the
 * client still sends is read and dropped, never taken for its next request); and any failure
 * of a handler becomes a 500 for that request, never an unhandled rejection.
 */

/** The body, or 'too-large' as soon as it passes `limit` bytes; rejects when the client goes away before the end. */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(() => resolve('too-large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
    req.on('error', (error) => settle(() => reject(error)));
    req.on('close', () => settle(() => reject(Object.assign(new Error('the client went away before the end of its request'), { code: 'ECONNRESET' }))));
  });

/** 413, then the connection closes: the rest of an oversized body must not be read as a request. */
export const refuseTooLarge = (res: ServerResponse, headers: OutgoingHttpHeaders, body: string): void => {
  res.writeHead(413, { ...headers, Connection: 'close' }).end(body);
};

/** A request handler whose every failure ends that request alone: a 500 if nothing was sent yet, a reset if it was. */
export const serveSafely =
  (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, failure: { headers: OutgoingHttpHeaders; body: string }) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (res.headersSent || req.destroyed) res.destroy();
      else res.writeHead(500, failure.headers).end(failure.body);
    });
  };

export interface Forwarded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request on to another local server, as it came, and reads the whole answer. */
export const forward = (target: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Forwarded> =>
  new Promise((resolve, reject) => {
    const { 'transfer-encoding': _chunked, connection: _connection, ...sent } = headers;
    const out = request(
      { host: target.hostname, port: target.port, method, path, headers: { ...sent, host: target.host, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });

/** The answer of another server, passed back as it is (its length is that of the body as read). */
export const relay = (res: ServerResponse, answer: Forwarded): void => {
  const { 'transfer-encoding': _chunked, connection: _connection, ...headers } = answer.headers;
  res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) }).end(answer.body);
};
