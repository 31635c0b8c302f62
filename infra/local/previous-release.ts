import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, version as esbuildVersion } from 'esbuild';
import { LAMBDA_BUNDLE } from '../constructs/catalogue-bundles';
import { type Handler, type RecordedRelease, type Release, type ReleaseFunctions, latestRecordedRelease, releaseFunctions } from './release';

/**
 * A recorded release, built to run in the sandbox: its tree as `git archive` gives it from its
 * commit, each function bundled with esbuild as the stack bundles it (ESM, the dependencies
 * included) and imported natively, and its ASL file. What a plain clone of main holds is enough:
 * the release's commit, named in CHANGELOG.md. The bundles are kept in the OS temp directory,
 * keyed by the commit and what the bundles are made with, so a run builds them once.
 */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where built releases are kept; the test runner imports their bundles natively (vitest.config.ts). */
const RELEASES_DIRECTORY = join(tmpdir(), 'second-user-system-releases');

const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });

/** What the bundles depend on besides the commit: the installed dependencies and how they are bundled. */
const bundlingKey = (): string =>
  createHash('sha256')
    .update(readFileSync(join(projectRoot, 'package-lock.json')))
    .update(esbuildVersion)
    .update(JSON.stringify(LAMBDA_BUNDLE))
    .digest('hex')
    .slice(0, 12);

interface BuiltRelease {
  functions: ReleaseFunctions;
}

/** Bundles a release's tree into `out`: its catalogue, read for its functions, then each function's handler. */
const bundleTree = async (tree: string, out: string): Promise<void> => {
  const options: BuildOptions = {
    // As the stack bundles them (catalogue-bundles.ts).
    ...LAMBDA_BUNDLE,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  };
  await build({ ...options, entryPoints: { catalogue: join(tree, 'functions/catalogue.ts') }, outdir: out });
  const functions = releaseFunctions((await import(/* @vite-ignore */ pathToFileURL(join(out, 'catalogue.mjs')).href)) as Record<string, unknown>);
  // One bundle per function, each with its own copy of every module, as each Lambda has.
  await build({
    ...options,
    entryPoints: Object.fromEntries(Object.entries(functions.entries).map(([name, entry]) => [name, join(tree, entry)])),
    outdir: join(out, 'functions'),
  });
  writeFileSync(join(out, 'ssc-triage.asl.json'), readFileSync(join(tree, 'statemachines/ssc-triage.asl.json')));
  writeFileSync(join(out, 'release.json'), JSON.stringify({ functions } satisfies BuiltRelease));
};

/**
 * Builds a recorded release (or finds it built): its commit must be in this clone. A shallow
 * clone lacks it; the error says to fetch the full history.
 */
export const buildRelease = async ({ name, commit }: RecordedRelease): Promise<Release> => {
  try {
    git('cat-file', '-e', `${commit}^{commit}`);
  } catch {
    throw new Error(
      `Release ${name} (commit ${commit}, named in CHANGELOG.md) is not in this clone: a shallow clone holds only the latest commits. ` +
        'Fetch the full history (git fetch --unshallow) to run the upgrade from it.',
    );
  }
  const directory = join(RELEASES_DIRECTORY, `${commit}-${bundlingKey()}`);
  if (!existsSync(join(directory, 'release.json'))) {
    mkdirSync(RELEASES_DIRECTORY, { recursive: true });
    const work = mkdtempSync(join(RELEASES_DIRECTORY, `${commit}-building-`));
    try {
      const tree = join(work, 'tree');
      mkdirSync(tree);
      execFileSync('sh', ['-c', 'git archive "$0" | tar -x -C "$1"', commit, tree], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      // The release is bundled with this tree's installed dependencies, at the versions of its lock file.
      symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'), 'dir');
      const out = join(work, 'release');
      await bundleTree(tree, out);
      try {
        renameSync(out, directory);
      } catch (error) {
        // Another run built it meanwhile: either copy is the same.
        if (!existsSync(join(directory, 'release.json'))) throw error;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const { functions } = JSON.parse(readFileSync(join(directory, 'release.json'), 'utf8')) as BuiltRelease;
  const handlers = new Map<string, Promise<Handler>>();
  return {
    name,
    commit,
    ...functions,
    asl: readFileSync(join(directory, 'ssc-triage.asl.json'), 'utf8'),
    load: (fn) => {
      const file = join(directory, 'functions', `${fn}.mjs`);
      const handler = handlers.get(fn) ?? import(/* @vite-ignore */ pathToFileURL(file).href).then((m: { handler: Handler }) => m.handler);
      handlers.set(fn, handler);
      return handler;
    },
    scopedSettings: false,
    invocations: new Map(),
  };
};

/** The release this tree upgrades from, built to run in the sandbox. */
export const previousRelease = (): Promise<Release> => buildRelease(latestRecordedRelease());
