/** The types of ensure-dependencies.mjs, which runs on the machine's Node before anything is installed (so plain JavaScript). */
export interface Need {
  package: string;
  what: string;
}
export interface MachineProbe {
  javaVersion: () => string | undefined;
  executable: (path: string) => boolean;
  faketimeRuns: () => boolean;
}
export declare const javaMajor: (versionOutput: string | undefined) => number | undefined;
export declare const missingOnMachine: (lifecycle: string, env: Record<string, string | undefined>, probe: MachineProbe) => { missing: Need[]; problems: string[] };
export declare const installCommand: (packages: string[], asRoot: boolean) => string;
export declare const stopMessage: (command: string, missing: Need[], problems: string[], hasAptGet: boolean) => string;
export declare const engineSummary: (blocks: string[], npmNode: string) => string;
