import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, type BundlingOptions, DockerImage, FileSystem, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync } from 'esbuild';

/**
 * How every Lambda is bundled (esbuild's options): shared with the benchmark (infra/tools/bench.ts),
 * the previous release's build (infra/local/previous-release.ts) and the bundle test, which must
 * bundle as the stack does.
 */
export const LAMBDA_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require(); give ESM a require.
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
  minify: true,
} satisfies BuildOptions;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where an entry's bundle lands in the build: `functions/api/x.ts` → `functions/api/x/index.mjs` (and its source map). */
const outputOf = (entry: string) => entry.replace(/\.ts$/, '');

/**
 * How CDK stages one entry's share of the build. CDK keys its staging cache on these options as
 * JSON, so the entry is a field: options that differ only in a function would stage every function
 * with the first one's bundle.
 */
class EntryBundling implements BundlingOptions {
  // Never pulled: the local bundling always answers, and CDK asks for an image only where it does not.
  readonly image = DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x');
  readonly local: ILocalBundling;

  constructor(
    readonly entry: string,
    build: (beside: string) => string,
  ) {
    this.local = {
      tryBundle: (outputDir) => {
        FileSystem.copyDirectory(join(build(dirname(outputDir)), outputOf(entry)), outputDir);
        return true;
      },
    };
  }
}

/**
 * The catalogue's functions, bundled in one esbuild run: each entry its own self-contained bundle
 * (ESM, minified, with its source map, the AWS SDK included), exactly what NodejsFunction makes of
 * it alone. NodejsFunction runs esbuild once per function, which is over a minute of every
 * `cdk synth` for forty-odd functions; one run with every entry point parses each module once and
 * takes seconds. CDK stages each function's share as it stages NodejsFunction's own output: hashed
 * by its content, and not built at all where the stack is not bundled (`aws:cdk:bundling-stacks`).
 */
export class CatalogueBundles {
  private built: string | undefined;

  constructor(private readonly entries: readonly string[]) {}

  /** The code of one catalogue entry, its handler `index.handler`. */
  code(entry: string): Code {
    if (!this.entries.includes(entry)) throw new Error(`${entry} is not an entry of the catalogue's bundles`);
    return Code.fromAsset(projectRoot, { assetHashType: AssetHashType.OUTPUT, bundling: new EntryBundling(entry, (beside) => this.build(beside)) });
  }

  /**
   * Built beside CDK's own bundling directories, in the cloud assembly: the source maps name the
   * handler files by a path from there, so the bundles (and their hashes) are the same wherever
   * the project is checked out, as NodejsFunction's were.
   */
  private build(beside: string): string {
    if (this.built) return this.built;
    const outdir = mkdtempSync(join(beside, 'catalogue-bundles-'));
    // Each function's share is copied into cdk.out as it is staged; the build itself goes with the process.
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    buildSync({
      absWorkingDir: projectRoot,
      entryPoints: Object.fromEntries(this.entries.map((entry) => [`${outputOf(entry)}/index`, entry])),
      outdir,
      outExtension: { '.js': '.mjs' },
      ...LAMBDA_BUNDLE,
      sourcemap: true,
      logLevel: 'warning',
    });
    this.built = outdir;
    return outdir;
  }
}
