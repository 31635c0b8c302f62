import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../infra/tools/dependency-audit';

/** The dependency audit `npm test` runs: a high or critical vulnerability in production fails it; an unreachable advisory database is said, never passed over. */
const report = (vulnerabilities: Record<string, { severity: string; fixAvailable: unknown }>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: Object.fromEntries(Object.entries(vulnerabilities).map(([name, v]) => [name, { name, isDirect: false, ...v }])),
    metadata: {
      vulnerabilities: {
        info: 0,
        low: 0,
        moderate: Object.values(vulnerabilities).filter((v) => v.severity === 'moderate').length,
        high: Object.values(vulnerabilities).filter((v) => v.severity === 'high').length,
        critical: Object.values(vulnerabilities).filter((v) => v.severity === 'critical').length,
        total: Object.keys(vulnerabilities).length,
      },
      dependencies: { prod: 100, dev: 300, total: 400 },
    },
  });
const unreachable = JSON.stringify({
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  statusCode: 405,
  error: { summary: '', detail: '' },
});

describe('the dependency audit', () => {
  it('passes when production has no high or critical vulnerability, reporting the rest', () => {
    const verdict = auditVerdict(
      report({ 'some-lib': { severity: 'moderate', fixAvailable: true } }),
      report({ 'dev-tool': { severity: 'high', fixAvailable: false } }),
    );
    expect(verdict).toEqual({
      outcome: 'passed',
      note: 'Dependency audit (npm audit): production dependencies 1 moderate; all dependencies 1 high known vulnerabilities.',
      blocking: [],
    });
    expect(auditVerdict(report({}), report({})).note).toContain('production dependencies none; all dependencies none');
  });

  it('fails on a high or critical vulnerability in production, naming it and its fix', () => {
    const verdict = auditVerdict(
      report({
        'json-lib': { severity: 'critical', fixAvailable: { name: 'json-lib', version: '2.0.1' } },
        'old-lib': { severity: 'high', fixAvailable: false },
      }),
      report({}),
    );
    expect(verdict.outcome).toBe('failed');
    expect(verdict.outcome !== 'skipped' && verdict.blocking).toEqual(['json-lib (critical, a fix is available: npm audit fix)', 'old-lib (high, no fix yet)']);
  });

  it('says visibly that it was skipped, and why, when no advisory database answers', () => {
    const verdict = auditVerdict(unreachable, unreachable);
    expect(verdict.outcome).toBe('skipped');
    expect(verdict.note).toMatch(
      /^Dependency audit SKIPPED: no advisory database could be read from here \(405 Method Not Allowed - POST .*\)\. Nothing was checked/,
    );
    expect(auditVerdict('', '').outcome).toBe('skipped');
  });
});
