import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import * as currentCatalogue from '../../functions/catalogue';
import { SSC_TRIAGE_ASL, definitionSubstitutions, substituteAsl } from '../workflow-definition';
import { invoke } from './lambda-context';
import { loadHandler } from './load-handler';

/** A release as CHANGELOG.md records it: its name, its day, the commit it was cut from. */
export interface RecordedRelease {
  name: string;
  date: string;
  commit: string;
}

/** A release heading of CHANGELOG.md: `## [v1.0.0] - 2026-11-24 (commit <40 hex digits>)`. */
const RELEASE_HEADING = /^## \[(v\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2}) \(commit ([0-9a-f]{40})\)\s*$/gm;

/** The releases a changelog records with their commits, newest first (the order it lists them in). */
export const recordedReleases = (changelog: string): RecordedRelease[] =>
  [...changelog.matchAll(RELEASE_HEADING)].map(([, name, date, commit]) => ({ name: name as string, date: date as string, commit: commit as string }));

/** The latest release CHANGELOG.md records with its commit: the one this tree upgrades from. */
export const latestRecordedRelease = (): RecordedRelease => {
  const [latest] = recordedReleases(readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8'));
  if (!latest) throw new Error('CHANGELOG.md records no release with its commit (a heading "## [vX.Y.Z] - YYYY-MM-DD (commit <hash>)")');
  return latest;
};

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A release's functions by what starts them: read from its catalogue, whichever shape it had. */
export interface ReleaseFunctions {
  /** Each function's handler file, by its name. */
  entries: Record<string, string>;
  routes: Array<Pick<currentCatalogue.Route, 'name' | 'method' | 'path' | 'access'>>;
  workflowTasks: string[];
  scheduled: Array<{ name: string; minutes: number }>;
  scheduleTargets: string[];
  /** With `redriven`, only the RUNNING events of a redrive. */
  statusHandlers: Array<{ name: string; statuses: string[]; redriven?: boolean }>;
  emailEventHandlers: Array<{ name: string; detailTypes: string[] }>;
  /** The HTTP API's Lambda authorizer (none before v1.2: those releases' API verified Cognito's tokens itself). */
  authorizer?: string;
}

/**
 * What a deploy puts in place: a release's functions, their handlers, and its state machine's ASL.
 * The sandbox runs the working tree's (`currentRelease`) unless told otherwise; a recorded
 * release is built from its commit by previous-release.ts.
 */
export interface Release extends ReleaseFunctions {
  /** `vX.Y.Z` as CHANGELOG.md records it, or `current` for the working tree. */
  name: string;
  commit?: string;
  /** The ASL file as written, its `${…}` placeholders unsubstituted. */
  asl: string;
  load: (name: string) => Promise<Handler>;
  /**
   * Whether each function sees only the settings its catalogue entry implies (this tree's
   * contract, as the stack gives them), or the whole environment, as the stacks of the releases
   * before gave every function every setting (and their config parsed them all at once).
   */
  scopedSettings: boolean;
  /** How many times each of its functions ran: which release served what, for a test. */
  invocations: Map<string, number>;
}

type Spec = {
  entry: string;
  trigger: { kind: string; routes?: ReleaseFunctions['routes']; minutes?: number; statuses?: string[]; redriven?: boolean; detailTypes?: string[] };
};

/**
 * A catalogue module's functions. Two shapes: one `catalogue` of specs, each with its trigger
 * (from v1.1.0 on); or v1.0.0's separate tables (`routes`, `workflowTasks`, `scheduledTasks`,
 * `scheduleTargets`, `workflowEventHandlers`, `emailEventHandlers`).
 */
export const releaseFunctions = (module: Record<string, unknown>): ReleaseFunctions => {
  if (module.catalogue) {
    const specs = Object.entries(module.catalogue as Record<string, Spec>);
    const of = (kind: string) => specs.filter(([, spec]) => spec.trigger.kind === kind);
    return {
      entries: Object.fromEntries(specs.map(([name, spec]) => [name, spec.entry])),
      routes: of('http').flatMap(([name, spec]) => (spec.trigger.routes ?? []).map(({ method, path, access }) => ({ name, method, path, access }))),
      workflowTasks: of('workflow-task').map(([name]) => name),
      scheduled: of('every').map(([name, spec]) => ({ name, minutes: spec.trigger.minutes as number })),
      scheduleTargets: of('annual-review-schedule').map(([name]) => name),
      statusHandlers: of('workflow-status').map(([name, spec]) => ({ name, statuses: spec.trigger.statuses ?? [], redriven: spec.trigger.redriven === true })),
      emailEventHandlers: of('email-events').map(([name, spec]) => ({ name, detailTypes: spec.trigger.detailTypes ?? [] })),
      ...(of('authorizer')[0] ? { authorizer: of('authorizer')[0]?.[0] } : {}),
    };
  }
  const old = module as {
    routes: Array<ReleaseFunctions['routes'][number] & { entry: string }>;
    workflowTasks: Record<string, string>;
    scheduledTasks: Record<string, { entry: string; everyMinutes: number }>;
    scheduleTargets: Record<string, { entry: string }>;
    workflowEventHandlers: Record<string, { entry: string; statuses: string[] }>;
    emailEventHandlers: Record<string, { entry: string; detailTypes: string[] }>;
  };
  const entryOf = (table: Record<string, { entry: string }>) => Object.entries(table).map(([name, { entry }]) => [name, entry]);
  return {
    entries: Object.fromEntries([
      ...old.routes.map(({ name, entry }) => [name, entry]),
      ...Object.entries(old.workflowTasks),
      ...entryOf(old.scheduledTasks),
      ...entryOf(old.scheduleTargets),
      ...entryOf(old.workflowEventHandlers),
      ...entryOf(old.emailEventHandlers),
    ]),
    routes: old.routes.map(({ name, method, path, access }) => ({ name, method, path, access })),
    workflowTasks: Object.keys(old.workflowTasks),
    scheduled: Object.entries(old.scheduledTasks).map(([name, { everyMinutes }]) => ({ name, minutes: everyMinutes })),
    scheduleTargets: Object.keys(old.scheduleTargets),
    statusHandlers: Object.entries(old.workflowEventHandlers).map(([name, { statuses }]) => ({ name, statuses })),
    emailEventHandlers: Object.entries(old.emailEventHandlers).map(([name, { detailTypes }]) => ({ name, detailTypes })),
  };
};

/** The working tree: its catalogue, its handlers imported from source, its ASL file. */
export const currentRelease = (): Release => {
  const functions = releaseFunctions(currentCatalogue);
  return {
    name: 'current',
    ...functions,
    asl: readFileSync(SSC_TRIAGE_ASL, 'utf8'),
    load: (name) => loadHandler<Handler>(functions.entries[name] as string),
    scopedSettings: true,
    invocations: new Map(),
  };
};

/** A release's state machine as deployed: its ASL with its own tasks' function ARNs and the table's name. */
export const releaseDefinition = (release: Release, functionArn: (task: string) => string, tableName: string): Record<string, unknown> =>
  substituteAsl(release.asl, definitionSubstitutions(functionArn, tableName, release.workflowTasks));

/**
 * Lambda in the sandbox: each function as the release deployed last has it. Every invocation,
 * whatever starts it (a route, a workflow task, a schedule, an event), runs the handler deployed
 * at that moment, as an unqualified function ARN does in AWS.
 */
export class LocalLambda {
  constructor(private deployed: Release) {}

  get release(): Release {
    return this.deployed;
  }

  deploy(release: Release): void {
    this.deployed = release;
  }

  invoke(name: string, event: unknown): Promise<unknown> {
    // Counted when invoked: an invocation begun before a deploy belongs to the release it began on.
    return this.invokeIn(this.deployed, name, event);
  }

  /** Invokes a function of a given release: the sandbox's authentication, for a release deployed without its own (see api-server.ts). */
  async invokeIn(release: Release, name: string, event: unknown): Promise<unknown> {
    release.invocations.set(name, (release.invocations.get(name) ?? 0) + 1);
    const handler = await release.load(name);
    return invoke(handler, event, name, { wholeEnvironment: !release.scopedSettings });
  }
}
