import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { type FunctionName, functionNames, settingsOf, specOf } from '../../../functions/catalogue';
import type { AwsCall } from '../../../infra/local/aws-calls';
import { type DeployedFunction, type PermissionReport, checkPermissions } from './check';
import { Deployment, type Template } from './deployment';
import { grantExceptions } from './exceptions';

/** What one test file of the servers project recorded (test/support/record-aws-calls.ts). */
export interface FileRecord {
  file: string;
  calls: Array<AwsCall & { count: number }>;
  settingReads: Partial<Record<FunctionName, string[]>>;
}

interface SynthesizedStacks {
  templates: Record<string, Template>;
  functions: Record<string, DeployedFunction>;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Everything the synthesized templates are made from: the app, its functions and workflow, its context and its locked dependencies. */
const SYNTH_INPUTS = ['infra', 'functions', 'statemachines', 'cdk.json', 'package-lock.json', 'test/infra/synth.ts'];
const CACHE = join(ROOT, 'node_modules/.cache/permission-synth');

const filesUnder = (path: string): string[] =>
  statSync(join(ROOT, path)).isDirectory()
    ? readdirSync(join(ROOT, path))
        .sort()
        .flatMap((name) => filesUnder(join(path, name)))
    : [path];

/** The digest of every synth input's path and content: a template cached under it is the one a synth would make now. */
const inputsDigest = (): string => {
  const hash = createHash('sha256').update(`CDK_DEFAULT_ACCOUNT=${process.env.CDK_DEFAULT_ACCOUNT ?? ''}\0`);
  for (const file of SYNTH_INPUTS.flatMap(filesUnder))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex');
};

const synthesizeStacks = async (): Promise<SynthesizedStacks> => {
  // Imported here: the CDK app takes seconds to load, which a cached template saves.
  const { synth } = await import('../../infra/synth');
  const s = synth();
  const { service } = s.stacks;
  return {
    templates: { [s.recordsName]: s.records.toJSON() as Template, [s.serviceName]: s.service.toJSON() as Template },
    functions: Object.fromEntries(
      Object.entries(service.functions).map(([name, fn]) => [
        name,
        { stack: service.stackName, logicalId: service.getLogicalId(fn.node.defaultChild as CfnElement) },
      ]),
    ),
  };
};

/**
 * Both stacks as `cdk synth` builds them (without bundling), deployed in a fixed account and
 * region, and where each catalogue function is. The synth takes some 7 s, which `npm test` would
 * pay again in each of its runs on other days for the same templates (they do not depend on the
 * day), so they are kept under the digest of everything they are made from: any change to the
 * app, its functions, context or dependencies is a new digest and a new synth.
 */
export const synthesizedDeployment = async (): Promise<{ deployment: Deployment; functions: Record<string, DeployedFunction>; cached: boolean }> => {
  const file = join(CACHE, `${inputsDigest()}.json`);
  let stacks: SynthesizedStacks;
  let cached = true;
  try {
    stacks = JSON.parse(readFileSync(file, 'utf8')) as SynthesizedStacks;
  } catch {
    cached = false;
    stacks = await synthesizeStacks();
    mkdirSync(CACHE, { recursive: true });
    // Only the latest is kept (templates of earlier sources are of no further use); written whole or not at all, as runs at once may share the cache.
    for (const earlier of readdirSync(CACHE).filter((name) => name.endsWith('.json'))) rmSync(join(CACHE, earlier), { force: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(stacks));
    renameSync(partial, file);
  }
  return { deployment: new Deployment(stacks.templates), functions: stacks.functions, cached };
};

export const mergeCalls = (records: FileRecord[]): Array<AwsCall & { count: number }> => {
  const merged = new Map<string, AwsCall & { count: number }>();
  for (const call of records.flatMap((r) => r.calls)) {
    const key = JSON.stringify([call.principal, call.action, call.resource, call.context ?? {}]);
    const seen = merged.get(key);
    if (seen) seen.count += call.count;
    else merged.set(key, { ...call });
  }
  return [...merged.values()];
};

/** The settings the catalogue gives a function that it never read in the whole suite. */
export const unreadSettings = (records: FileRecord[]): Array<{ fn: FunctionName; setting: string }> => {
  const read = new Map<string, Set<string>>();
  for (const r of records)
    for (const [fn, names] of Object.entries(r.settingReads)) for (const name of names ?? []) (read.get(fn) ?? read.set(fn, new Set()).get(fn))?.add(name);
  return functionNames.flatMap((fn) => settingsOf(specOf(fn)).flatMap((setting) => (read.get(fn)?.has(setting) ? [] : [{ fn, setting }])));
};

const describeCall = (c: { holder: string; action: string; resource: string; context: Record<string, string>; derivedFrom?: string }) =>
  `${c.holder} ${c.action} on ${c.resource}${
    Object.keys(c.context).length
      ? ` (${Object.entries(c.context)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`
      : ''
  }${c.derivedFrom ? ` [for ${c.derivedFrom}]` : ''}`;

/**
 * The servers project's permission check, at the end of the run: every recorded call evaluated
 * against the synthesized stacks' policies. A denied call fails any run; on a run of every test
 * file (the only one that can exercise everything), so does a grant no call used, and a setting
 * given to a function that never reads it.
 */
export const reportPermissions = async (dir: string, testFiles: string[], root: string): Promise<string[]> => {
  const records = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FileRecord);
  if (records.length === 0) return [];
  const ran = new Set(records.map((r) => relative(root, r.file)));
  const missing = testFiles.map((f) => relative(root, f)).filter((f) => !ran.has(f));
  const full = missing.length === 0;
  const started = performance.now();
  const { deployment, functions, cached } = await synthesizedDeployment();
  const synthSeconds = (performance.now() - started) / 1000;
  const report: PermissionReport = await checkPermissions(deployment, functions, mergeCalls(records), grantExceptions);
  const unread = unreadSettings(records);
  const exceptionsUsed = [...new Set(report.excepted.map((e) => e.exception))];
  const lines = [
    '',
    `AWS permissions: ${report.calls} calls recorded, ${report.checks.length} distinct checks against the synthesized policies (${cached ? 'synthesized earlier, read' : 'synth'} ${synthSeconds.toFixed(1)} s): ` +
      `${report.denied.length + report.unresolved.length} denied, ${report.unexercised.length} granted but unexercised, ${unread.length} settings given but unread` +
      (full ? '' : ` (a run of ${ran.size} of ${testFiles.length} files: unexercised grants and unread settings not enforced)`),
    `  justified exceptions (${report.excepted.length} grants): ${exceptionsUsed.join('; ')}`,
    ...report.denied.map((c) => `  DENIED (${c.result}): ${describeCall(c)}`),
    ...report.unresolved.map((u) => `  DENIED (no such resource in the stacks): ${u.call.principal} ${u.call.action} on ${u.call.resource}: ${u.error}`),
    // A run of some files leaves most grants unexercised by design: listed only where they fail the run.
    ...(full
      ? report.unexercised.map(
          (g) => `  UNEXERCISED: ${g.holder} ${g.action} on ${g.resource}${g.sourceArns ? ` from ${g.sourceArns.join(', ')}` : ''} (${g.where})`,
        )
      : []),
    ...(full ? unread.map((u) => `  UNREAD SETTING: ${u.fn} is given ${u.setting} and never reads it`) : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const failures: string[] = [];
  if (report.denied.length || report.unresolved.length)
    failures.push(
      `AWS calls the deployed policies would deny: ${[...report.denied.map(describeCall), ...report.unresolved.map((u) => `${u.call.principal} ${u.call.action} on ${u.call.resource}`)].join('; ')}`,
    );
  if (full && report.unexercised.length)
    failures.push(`granted but exercised by no test: ${report.unexercised.map((g) => `${g.holder} ${g.action} on ${g.resource}`).join('; ')}`);
  if (full && unread.length) failures.push(`settings given but never read: ${unread.map((u) => `${u.fn}.${u.setting}`).join(', ')}`);
  return failures;
};
