import { spawnSync } from 'node:child_process';

/**
 * `npm test`'s check of the dependencies for known vulnerabilities: npm's own `npm audit`, against
 * the registry's advisory database. Known vulnerabilities rated high or critical in what the Lambda
 * bundles carry (the production dependencies) fail the run; any others are reported. Where the
 * registry reached has no advisory endpoint (these machines' answers 405, and no advisory database
 * is published as an npm package), the check says, visibly, that it was skipped and why: never a
 * silent pass. Dependabot (.github/dependabot.yml) keeps the versions current either way.
 */
interface AuditReport {
  vulnerabilities?: Record<string, { name: string; severity: 'info' | 'low' | 'moderate' | 'high' | 'critical'; isDirect: boolean; fixAvailable: unknown }>;
  metadata?: { vulnerabilities: Record<string, number>; dependencies: Record<string, number> };
  message?: string;
  statusCode?: number;
  error?: { code?: string; summary?: string; detail?: string };
}

export type AuditVerdict = { outcome: 'skipped'; note: string } | { outcome: 'passed' | 'failed'; note: string; blocking: string[] };

const BLOCKING = new Set(['high', 'critical']);

const parse = (output: string): AuditReport | undefined => {
  try {
    return JSON.parse(output) as AuditReport;
  } catch {
    return undefined;
  }
};

/** What the two audits' JSON says: the production dependencies' (which may fail the run) and all dependencies' (reported). */
export const auditVerdict = (production: string, all: string): AuditVerdict => {
  const prod = parse(production);
  const every = parse(all);
  if (!prod?.metadata || !every?.metadata) {
    const why = prod?.message ?? prod?.error?.summary ?? prod?.error?.code ?? 'npm audit gave no report';
    return {
      outcome: 'skipped',
      note: `Dependency audit SKIPPED: no advisory database could be read from here (${why}). Nothing was checked for known vulnerabilities; on GitHub, Dependabot's alerts check package-lock.json.`,
    };
  }
  const blocking = Object.values(prod.vulnerabilities ?? {})
    .filter((v) => BLOCKING.has(v.severity))
    .map((v) => `${v.name} (${v.severity}${v.fixAvailable ? ', a fix is available: npm audit fix' : ', no fix yet'})`)
    .sort();
  const counts = (report: AuditReport) =>
    Object.entries(report.metadata?.vulnerabilities ?? {})
      .filter(([severity, n]) => severity !== 'total' && n > 0)
      .map(([severity, n]) => `${n} ${severity}`)
      .join(', ') || 'none';
  const note = `Dependency audit (npm audit): production dependencies ${counts(prod)}; all dependencies ${counts(every)} known vulnerabilities.`;
  return blocking.length
    ? { outcome: 'failed', note: `${note} High or critical in production dependencies: ${blocking.join('; ')}.`, blocking }
    : { outcome: 'passed', note, blocking };
};

const audit = (...args: string[]) => spawnSync('npm', ['audit', '--json', ...args], { encoding: 'utf8' }).stdout ?? '';

if (import.meta.main) {
  const verdict = auditVerdict(audit('--omit=dev'), audit());
  process.stdout.write(`${verdict.note}\n`);
  if (verdict.outcome === 'failed') process.exit(1);
}
