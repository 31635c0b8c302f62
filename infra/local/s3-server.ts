import { createHash } from 'node:crypto';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, serveSafely } from './http-kit';

/**
 * The sandbox's stand-in for the history anchors' bucket: S3's REST protocol for PutObject,
 * GetObject and ListObjectsV2 (path-style), with the bucket's Object Lock in compliance mode as
 * it behaves for the product: every put is a new version, the latest is what a get returns, and
 * no version can be deleted (DeleteObject is refused as S3 refuses it on a locked version). Our
 * own because s3rver, the maintained fake S3 on npm that runs offline, has no Object Lock and
 * brings old majors of fast-xml-parser and busboy; three operations fit in this page.
 */
export interface StoredObject {
  key: string;
  body: Buffer;
  contentType: string;
  lastModified: Date;
  versionId: string;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const failure = { headers: { 'Content-Type': 'application/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code></Error>' };
const etag = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

export const startS3Server = async (bucket: string, port = 0) => {
  const versions = new Map<string, StoredObject[]>();
  const latest = (key: string) => versions.get(key)?.at(-1);
  const error = (res: ServerResponse, status: number, code: string, message: string): void => {
    res.writeHead(status, { 'Content-Type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message></Error>`);
  };
  const server: Server = createServer(
    serveSafely(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const [, name, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (name !== bucket) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      if (req.method === 'PUT' && key) {
        const body = await readBody(req, 50 * 1024 * 1024);
        if (body === 'too-large') return error(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
        const sha256 = req.headers['x-amz-checksum-sha256'];
        if (typeof sha256 === 'string' && sha256 !== createHash('sha256').update(body).digest('base64'))
          return error(res, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
        const object = {
          key,
          body,
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          lastModified: new Date(),
          versionId: String((versions.get(key)?.length ?? 0) + 1),
        };
        versions.set(key, [...(versions.get(key) ?? []), object]);
        res.writeHead(200, { ETag: etag(body), 'x-amz-version-id': object.versionId });
        res.end();
        return;
      }
      if (req.method === 'GET' && key) {
        const object = latest(key);
        if (!object) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, {
          'Content-Type': object.contentType,
          'Content-Length': object.body.length,
          ETag: etag(object.body),
          'Last-Modified': object.lastModified.toUTCString(),
          'x-amz-version-id': object.versionId,
        });
        res.end(object.body);
        return;
      }
      if (req.method === 'DELETE' && key) return error(res, 403, 'AccessDenied', 'Access Denied because object protected by object lock.');
      if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const max = Number(url.searchParams.get('max-keys') ?? 1000);
        const after = url.searchParams.get('continuation-token') ?? url.searchParams.get('start-after') ?? '';
        const keys = [...versions.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
        const page = keys.slice(0, max);
        const truncated = keys.length > page.length;
        const contents = page
          .map((k) => {
            const o = latest(k) as StoredObject;
            return `<Contents><Key>${xml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xml(etag(o.body))}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${xml(page.at(-1) as string)}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
        );
        return;
      }
      return error(res, 501, 'NotImplemented', `${req.method} ${url.pathname}${url.search} is not served by the sandbox's S3`);
    }, failure),
  );
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every version of every object, oldest first: what the tests read of the anchors. */
    versions: (key: string) => versions.get(key) ?? [],
    keys: () => [...versions.keys()].sort(),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
