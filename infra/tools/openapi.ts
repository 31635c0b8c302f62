import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE, renderOpenApi } from '../../functions/api/openapi-document';
import { API_CLIENT_FILE, generateApiClient } from './api-client';

/**
 * `npm run update:openapi`: writes the API description GET /openapi.json serves, and the client a
 * mainstream generator makes of it (tests fail when either is stale).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
writeFileSync(`${root}${OPENAPI_FILE}`, renderOpenApi());
process.stdout.write(`${OPENAPI_FILE}: written\n`);
await generateApiClient(`${root}${OPENAPI_FILE}`, `${root}${API_CLIENT_FILE}`, root);
process.stdout.write(`${API_CLIENT_FILE}: written (orval)\n`);
