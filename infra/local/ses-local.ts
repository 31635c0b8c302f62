import type { JsonDocument } from './sample-notification';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';
import { forward, readBody, refuseTooLarge, relay, serveSafely } from './http-kit';

/** aws-ses-v2-local, in-process: SES v2 SendEmail for the handlers, and a web inbox for people. */
export const startSesLocal = async (port = 0): Promise<{ server: Server; url: string }> => {
  // The package is CommonJS with a default export; unwrap it whichever way the loader hands it over.
  const start = ((sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal) as typeof sesLocal;
  const server = await start({ host: '127.0.0.1', port });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
};

/** SES v2 refuses messages over 40 MB; the front refuses bodies beyond that before they reach the inbox. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SentEmail {
  /** The SendEmail request as the handler sent it. */
  request: JsonDocument;
  messageId: string;
  at: Date;
}

/**
 * The inbox page with one change: each email's HTML, which it writes into a frame, opens its
 * links in a new tab (`<base target="_blank">`, as webmail does). A page behind a link forbids
 * framing (`frame-ancestors 'none'`), so a link followed inside the frame would show a broken
 * page. Only the inbox's own page changes: the emails as sent, and as `GET /store` gives them,
 * stay as the product wrote them.
 */
const INBOX_FRAME_WRITE = 'iframeDoc.body.innerHTML = e.body.html;';
export const INBOX_LINKS_LEAVE_THE_FRAME = `${INBOX_FRAME_WRITE} iframeDoc.head.insertAdjacentHTML('afterbegin', '<base target="_blank">');`;

export const inboxPage = (page: string): string => {
  // aws-ses-v2-local writes the frame in this one statement; if a new version does not, say so rather than serve broken links.
  if (!page.includes(INBOX_FRAME_WRITE)) throw new Error(`the SES inbox page no longer writes an email's frame with "${INBOX_FRAME_WRITE}"`);
  return page.replace(INBOX_FRAME_WRITE, INBOX_LINKS_LEAVE_THE_FRAME);
};

/**
 * The sandbox's SES endpoint and inbox: its own server in front of aws-ses-v2-local, which it
 * does not control. Every request reaches the inbox as it came, but a client that hangs up, or a
 * body over SES's limit, ends its own request only; and each accepted SendEmail is reported to
 * `onSent`, where the sandbox plays SES's part after a send (its mailbox simulator's events).
 */
export const startSesFront = async (options: {
  port?: number;
  inboxUrl: string;
  onSent?: (email: SentEmail) => void;
}): Promise<{ server: Server; url: string }> => {
  const inbox = new URL(options.inboxUrl);
  const server = createServer(
    serveSafely(
      async (req, res) => {
        const body = await readBody(req, MAX_MESSAGE_BYTES);
        if (body === 'too-large') return refuseTooLarge(res, { 'Content-Type': 'application/json' }, JSON.stringify({ message: 'Message too large' }));
        const path = req.url?.split('?')[0];
        if (req.method === 'GET' && path === '/') {
          // The page is rewritten, so it is fetched whole each time (no validator could stand for the rewritten copy).
          const { 'if-none-match': _etag, 'if-modified-since': _since, ...headers } = req.headers;
          const page = await forward(inbox, 'GET', req.url ?? '/', headers, body);
          const { etag: _e, 'last-modified': _m, ...answered } = page.headers;
          const rewritten = page.status === 200 ? Buffer.from(inboxPage(page.body.toString('utf8'))) : page.body;
          return relay(res, { ...page, headers: { ...answered, 'cache-control': 'no-store' }, body: rewritten });
        }
        const answer = await forward(inbox, req.method ?? 'GET', req.url ?? '/', req.headers, body);
        relay(res, answer);
        if (req.method === 'POST' && path === '/v2/email/outbound-emails' && answer.status === 200) {
          const { MessageId } = JSON.parse(answer.body.toString('utf8')) as { MessageId: string };
          options.onSent?.({ request: JSON.parse(body.toString('utf8')) as JsonDocument, messageId: MessageId, at: new Date() });
        }
      },
      { headers: { 'Content-Type': 'application/json' }, body: '{"message":"Internal error"}' },
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
};
