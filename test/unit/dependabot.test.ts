import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import pkg from '../../package.json' with { type: 'json' };

/** The Dependabot configuration stays true to package.json: no group or rule names a package the project no longer has. */
const config = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
  version: number;
  updates: Array<{
    'package-ecosystem': string;
    directory: string;
    schedule: { interval: string };
    groups?: Record<string, { patterns: string[] }>;
    ignore?: Array<{ 'dependency-name': string }>;
  }>;
};
const packages = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
const matches = (pattern: string) => {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
  return packages.filter((p) => re.test(p));
};

describe('Dependabot configuration', () => {
  it('updates the npm packages weekly', () => {
    expect(config.version).toBe(2);
    expect(config.updates).toEqual([
      expect.objectContaining({ 'package-ecosystem': 'npm', directory: '/', schedule: expect.objectContaining({ interval: 'weekly' }) }),
    ]);
  });

  it('groups and ignores only packages the project has', () => {
    const update = config.updates[0];
    for (const [group, { patterns }] of Object.entries(update?.groups ?? {})) {
      for (const pattern of patterns) expect(matches(pattern), `${group}: ${pattern}`).not.toEqual([]);
    }
    for (const rule of update?.ignore ?? []) expect(matches(rule['dependency-name']), rule['dependency-name']).not.toEqual([]);
  });
});
