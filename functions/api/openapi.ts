import { setting } from '../adapters/config';
import { Problem } from '../domain/problem';
import { type HttpEvent, json, jsonApi } from './http';
import built from './openapi.json' with { type: 'json' };

/**
 * GET /openapi.json: the API's OpenAPI 3.1 description (built from the schemas by
 * `npm run update:openapi`), without authentication; the deployed token endpoint filled in.
 */
const document = () => {
  const tokenUrl = setting('TOKEN_ENDPOINT');
  const { oauth2 } = built.components.securitySchemes;
  return {
    ...built,
    components: {
      ...built.components,
      securitySchemes: { oauth2: { ...oauth2, flows: { clientCredentials: { ...oauth2.flows.clientCredentials, tokenUrl } } } },
    },
  };
};

export const handler = jsonApi(
  async (event: HttpEvent) => {
    const method = event.requestContext.http.method;
    if (method !== 'GET' && method !== 'HEAD') {
      throw new Problem(405, 'method-not-allowed', 'Method not allowed', `${method} is not allowed on /openapi.json: use GET or HEAD.`, {
        headers: { Allow: 'GET, HEAD' },
      });
    }
    return json(200, document());
  },
  { body: 'none' },
);
