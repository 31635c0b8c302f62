import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Holds real answers against the OpenAPI document, as a validating proxy would, in process: the
 * operation by method and path (no operation: API Gateway's 404 for no such route), the response
 * by status (or `default`), the media type by Content-Type, the body by its schema (Ajv, JSON
 * Schema 2020-12, the document's own dialect). Why not Prism (`prism proxy … --errors`): it answers
 * a request without the document's security itself, before forwarding, so API Gateway's 401s never
 * reach its validator, and it refuses requests the document does not allow, the very traffic
 * whose problem documents this checks. The 3.0-era response validators do not read 3.1.
 */
type Document = Record<string, any>;

export interface Answer {
  method: string;
  /** The path and query, as requested. */
  url: string;
  status: number;
  contentType: string | null;
  body: string;
}

export interface Verdict {
  /** The operation that answered (`GET /notifications/{reference}`), or `no route`. */
  operation: string;
  status: string;
  violations: string[];
}

const JSON_TYPES = new Set(['application/json', 'application/problem+json']);

export const contractOf = (document: Document) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  const templates = Object.keys(document.paths).map((path) => ({
    path,
    pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));

  const validateBody = (where: string, content: Record<string, { schema?: Document }>, answer: Answer): string[] => {
    const mediaType = (answer.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (answer.method === 'HEAD') return answer.body === '' ? [] : [`${where}: a HEAD answer with a body`];
    const media = content[mediaType];
    if (!media) return [`${where}: Content-Type ${answer.contentType ?? '(none)'} is not one of ${Object.keys(content).join(', ')}`];
    if (!JSON_TYPES.has(mediaType)) return answer.body ? [] : [`${where}: an empty ${mediaType} body`];
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    const ref = media.schema?.$ref as string | undefined;
    const validate = ref ? ajv.getSchema(`openapi.json${ref}`) : ajv.compile(media.schema ?? {});
    if (!validate) return [`${where}: no schema ${ref}`];
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message}`);
  };

  /** What the document says of an answer: the operation it belongs to and what it does not allow. */
  return (answer: Answer): Verdict => {
    const path = new URL(answer.url, 'http://localhost').pathname;
    const status = String(answer.status);
    const template = templates.find((t) => t.pattern.test(path));
    const operation = template ? document.paths[template.path][answer.method.toLowerCase()] : undefined;
    if (!template || !operation) {
      const noRoute = document.components.responses.NoSuchRoute;
      const where = `${answer.method} ${path} (no such route) → ${status}`;
      return {
        operation: 'no route',
        status,
        violations: status === '404' ? validateBody(where, noRoute.content, answer) : [`${where}: API Gateway answers a request no route takes with 404`],
      };
    }
    const name = `${answer.method} ${template.path}`;
    const response = operation.responses[status] ?? operation.responses.default;
    if (!response) return { operation: name, status, violations: [`${name} → ${status}: the document gives no such status`] };
    return { operation: name, status, violations: validateBody(`${name} → ${status}`, response.content ?? {}, answer) };
  };
};
