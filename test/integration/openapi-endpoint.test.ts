import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../functions/api/openapi-document';
import { useSandbox } from '../support/sandbox';

/** GET /openapi.json, as an integrating developer fetches it: no credentials. */
const ctx = useSandbox();

describe('GET /openapi.json', () => {
  it('serves the OpenAPI description to anyone, never cached', async () => {
    const response = await ctx.api('anonymous').get('/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The file, with the deployed token endpoint written in.
    const built = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    built.components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl = `${ctx.sandbox.apiUrl}/oauth2/token`;
    expect(await response.json()).toEqual(built);
    const head = await ctx.api('anonymous').fetch('/openapi.json', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with a 405 problem naming the methods it takes', async (method) => {
    const response = await ctx.api('anonymous').fetch('/openapi.json', { method, ...(method === 'OPTIONS' ? {} : { body: '{}' }) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: expect.stringMatching(/\/method-not-allowed$/), status: 405 });
  });
});
