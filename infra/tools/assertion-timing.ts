import { generateKeyPairSync } from 'node:crypto';
import { newClientId } from '../../functions/domain/sec-users';
import { fitThreshold, median } from './not-found-timing';
import { signClientAssertion } from './token';

/**
 * Can a guesser tell a registered client id from an unknown one by how long the token endpoint
 * takes to refuse an assertion? Alternately: an assertion of an unknown client id, and one of a
 * registered client with its own kid but signed by another key (a bad signature). A threshold
 * fitted on the first half guesses, for each refusal of the second half, which it was: about half
 * right means they cannot be told apart. Reports numbers only (a shared machine's timings are no test).
 */
export const measureAssertionTimings = async (apiUrl: string, registered: { clientId: string; kid: string }, pairs = 200, warmup = 20) => {
  const tokenEndpoint = `${apiUrl}/oauth2/token`;
  const attackerKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const time = async (clientId: string) => {
    const assertion = await signClientAssertion({ clientId, kid: registered.kid, privateKeyPem: attackerKey }, tokenEndpoint);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    const started = performance.now();
    const answer = await fetch(tokenEndpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const text = await answer.text();
    const elapsed = performance.now() - started;
    if (answer.status !== 401 || text !== '{"error":"invalid_client"}') throw new Error(`an assertion of ${clientId} answered ${answer.status} ${text}`);
    return elapsed;
  };
  const unknown: number[] = [];
  const badSignature: number[] = [];
  for (let i = 0; i < pairs + warmup; i++) {
    const order = i % 2 === 0 ? [true, false] : [false, true];
    for (const isUnknown of order) {
      const elapsed = await time(isUnknown ? newClientId() : registered.clientId);
      if (i >= warmup) (isUnknown ? unknown : badSignature).push(elapsed);
    }
  }
  const half = Math.floor(pairs / 2);
  const fitted = fitThreshold(unknown.slice(0, half), badSignature.slice(0, half));
  const says = (t: number) => t > fitted.threshold === fitted.slowerMeansExisting;
  return {
    pairs,
    medianUnknownClientMs: Number(median(unknown).toFixed(2)),
    medianBadSignatureMs: Number(median(badSignature).toFixed(2)),
    guessesRight: unknown.slice(half).filter(says).length + badSignature.slice(half).filter((t) => !says(t)).length,
    guesses: (pairs - half) * 2,
  };
};
