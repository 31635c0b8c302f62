import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../functions/api/openapi-document';
import { contractOf } from '../support/contract';

/** The validator the contract test holds real answers to (test/integration/contract.test.ts) refuses what the document does not allow. */
const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
const judge = contractOf(document);
const gateway401 = {
  method: 'GET',
  url: '/notifications/SUS-XGEKB-2026-0001',
  status: 401,
  contentType: 'application/json',
  body: '{"message":"Unauthorized"}',
};

describe('the contract validator', () => {
  it("allows API Gateway's own answers where the document gives them", () => {
    expect(judge(gateway401).violations).toEqual([]);
    expect(judge({ method: 'DELETE', url: '/notifications', status: 404, contentType: 'application/json', body: '{"message":"Not Found"}' })).toEqual({
      operation: 'no route',
      status: '404',
      violations: [],
    });
  });

  it('refuses a status, a media type or a body the document does not give', () => {
    const problem401 = { ...gateway401, contentType: 'application/problem+json', body: '{"type":"x","title":"Unauthenticated","status":401}' };
    expect(judge(problem401).violations).toEqual([expect.stringContaining('Content-Type application/problem+json is not one of application/json')]);
    expect(judge({ ...gateway401, status: 418 }).violations).toEqual(['GET /notifications/{reference} → 418: the document gives no such status']);
    expect(judge({ ...gateway401, status: 200, body: '{"status":"Received"}' }).violations).toContainEqual(
      expect.stringContaining("must have required property 'reference'"),
    );
    expect(judge({ ...gateway401, body: '{"message":"Unauthorized","extra":1}' }).violations).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(judge({ method: 'GET', url: '/nowhere', status: 404, contentType: 'application/problem+json', body: '{}' }).violations).toHaveLength(1);
    expect(judge({ method: 'GET', url: '/nowhere', status: 200, contentType: 'application/json', body: '{}' }).violations).toHaveLength(1);
    expect(judge({ method: 'HEAD', url: '/openapi.json', status: 200, contentType: 'application/json', body: '{}' }).violations).toEqual([
      'HEAD /openapi.json → 200: a HEAD answer with a body',
    ]);
  });

  it('would have refused the document as it stood, which gave every 401 as a problem document', () => {
    const before = structuredClone(document);
    before.paths['/notifications/{reference}'].get.responses['401'] = {
      description: 'unauthenticated',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    expect(contractOf(before)(gateway401).violations).toHaveLength(1);
  });
});
