import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/catalogue';
import { LAMBDA_BUNDLE } from '../../infra/constructs/catalogue-bundles';

/** What goes into a Lambda bundle, as deployed (sizes and timings are the bench's, not a test's). */
const inputsOf = async (entry: string) => {
  const result = await build({
    entryPoints: [entry],
    ...LAMBDA_BUNDLE,
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'out.mjs',
  });
  return Object.keys(result.metafile.inputs);
};

describe('Lambda bundles', () => {
  it('carry no X-Ray SDK and one version of Powertools', async () => {
    const inputs = await inputsOf(routes.find((r) => r.name === 'SubmitNotification')?.entry as string);
    expect(inputs.filter((i) => /aws-xray-sdk|powertools\/tracer/.test(i))).toEqual([]);
    const commons = new Set(inputs.filter((i) => i.includes('@aws-lambda-powertools/commons/')).map((i) => i.replace(/\/commons\/.*/, '/commons')));
    expect([...commons]).toEqual(['node_modules/@aws-lambda-powertools/commons']);
  });
});
