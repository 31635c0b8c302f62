import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApi } from '../../functions/api/openapi-document';
import { API_CLIENT_FILE, generateApiClient } from '../../infra/tools/api-client';

/**
 * The committed files made from the catalogue (`npm run update:openapi`): current, and valid to a
 * standard validator. Build checks, here beside the synth's: what they compare does not depend on
 * the day, so the runs on other days (infra/tools/test-on-dates.ts) need not pay for them again.
 * What the document says is tested with the unit tests (test/unit/openapi.test.ts).
 */
describe('Files generated from the catalogue', () => {
  it('openapi.json is the document the catalogue renders, the file GET /openapi.json serves (npm run update:openapi when this fails)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('the committed client is the one generated from that document (npm run update:openapi when this fails)', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'api-client-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), renderOpenApi());
      await generateApiClient(join(dir, 'openapi.json'), join(dir, 'api-client.ts'), root);
      // Only where it imports the connection from differs with where it is written.
      const withoutImport = (text: string) => text.replace(/^import \{ apiFetch \} from '[^']+';$/m, '');
      expect(withoutImport(readFileSync(join(dir, 'api-client.ts'), 'utf8'))).toBe(withoutImport(readFileSync(API_CLIENT_FILE, 'utf8')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('openapi.json is valid OpenAPI 3.1 to a standard validator', async () => {
    const served = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    const validator = new Validator();
    const result = await validator.validate(served);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // And it does refuse what is not OpenAPI: an OAuth scheme without its flows.
    const broken = structuredClone(served);
    delete broken.components.securitySchemes.oauth2.flows;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});
