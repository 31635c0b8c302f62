import { issueAccessToken } from '../use-cases/access-tokens';
import { type HttpEvent, formOf, json, oauthEndpoint } from './http';

/** A form larger than this holds no honest assertion (see MAX_ASSERTION_BYTES). */
const MAX_FORM_BYTES = 16 * 1024;

/** POST /oauth2/token: an access token for a client that proves itself with a private_key_jwt assertion (RFC 7523). */
export const handler = oauthEndpoint(async (event: HttpEvent) => {
  const form = formOf(event, MAX_FORM_BYTES);
  const answer = form ? await issueAccessToken(form, new Date()) : { status: 400, body: { error: 'invalid_request' } };
  // RFC 6749 §5.1: never cached; §5.2: a refused client is told how to authenticate.
  return json(answer.status, answer.body, {
    Pragma: 'no-cache',
    ...(answer.status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_client"' } : {}),
  });
});
