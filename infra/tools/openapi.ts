import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, renderOpenApi } from '../../functions/api/openapi-document';

/** `npm run update:openapi`: writes the API description GET /openapi.json serves (a test fails when it is stale). */
writeFileSync(new URL(`../../${OPENAPI_FILE}`, import.meta.url), renderOpenApi());
process.stdout.write(`${OPENAPI_FILE}: written\n`);
