import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

/**
 * One Node everywhere: Lambda's runtime (nodejs24.x), the Node npm brings for the tests (the `node`
 * devDependency), and what version managers and CI read (.nvmrc, .node-version, engines, devEngines).
 */
const major = (range: string) => /(\d+)/.exec(range)?.[1];

describe('the Node version', () => {
  it('is Lambda’s, in every place a tool reads it', () => {
    const lambda = /Runtime\.NODEJS_(\d+)_X/.exec(readFileSync('infra/constructs/sec-function.ts', 'utf8'))?.[1];
    expect(lambda).toBe('24');
    expect(readFileSync('.nvmrc', 'utf8').trim()).toBe(lambda);
    expect(readFileSync('.node-version', 'utf8').trim()).toBe(lambda);
    expect(major(pkg.engines.node)).toBe(lambda);
    expect(major(pkg.devEngines.runtime.version)).toBe(lambda);
    expect(major(pkg.devDependencies.node)).toBe(lambda);
    expect(major(pkg.devDependencies['@types/node'])).toBe(lambda);
  });

  it('informs without stopping npm on an older Node, which runs the scripts on the project’s own', () => {
    expect(pkg.devEngines.runtime).toEqual({ name: 'node', version: `${major(pkg.engines.node)}.x`, onFail: 'ignore' });
  });
});
