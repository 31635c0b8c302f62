import { DEFAULT_PROVIDERS } from '@aws-lambda-powertools/parameters/base';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { currentFunctionName } from './lambda-context';

/**
 * On AWS each function runs in processes of its own, each with its own Powertools Parameters
 * cache: every function fetches the link keyring itself, at least once. The sandbox runs every
 * function in one process, where `getSecret`'s one default provider would serve a keyring fetched
 * by one function to all the others, hiding their GetSecretValue calls (and their need of a grant)
 * from the permission check. Here each function gets a default provider, and so a cache, of its
 * own; outside any invocation there is one more, as a process of its own would have.
 */
let installed = false;

export const cachePerFunction = (): void => {
  if (installed) return;
  installed = true;
  const providers = new Map<string, SecretsProvider>();
  Object.defineProperty(DEFAULT_PROVIDERS, 'secrets', {
    enumerable: true,
    configurable: true,
    get: () => {
      const fn = currentFunctionName() ?? '';
      let provider = providers.get(fn);
      if (!provider) {
        provider = new SecretsProvider();
        providers.set(fn, provider);
      }
      return provider;
    },
    // getSecret sets it only when absent, which it never is here.
    set: () => undefined,
  });
};
