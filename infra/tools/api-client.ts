import { generate } from 'orval';
import { PAGES_TAG } from '../../functions/api/openapi-document';

/**
 * A client of the API as an integrator generates one from GET /openapi.json with a mainstream
 * generator: orval's fetch client, leaving out the pages for people (their tag). The project keeps
 * one in test/support/generated/ (`npm run update:openapi` writes it, a unit test fails when it is
 * stale): `tsc` type-checks it with the code, and test/integration/generated-client.test.ts takes a
 * case round the sandbox through it. The connection (base URL, token) is test/support/api-fetch.ts.
 */
export const API_CLIENT_FILE = 'test/support/generated/api-client.ts';

export const generateApiClient = async (documentFile: string, target: string, root: string): Promise<void> =>
  generate(
    {
      input: { target: documentFile, filters: { mode: 'exclude', tags: [PAGES_TAG] } },
      output: { target, client: 'fetch', mode: 'single', override: { mutator: { path: `${root}/test/support/api-fetch.ts`, name: 'apiFetch' } } },
    },
    root,
    { logLevel: 'error' },
  );
