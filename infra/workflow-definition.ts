import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type WorkflowTaskName, substitutionFor, workflowTaskNames } from '../functions/catalogue';

/** The SscTriageWorkflow's ASL file: deployed by CDK, run by the sandbox, the same file. */
export const SSC_TRIAGE_ASL = fileURLToPath(new URL('../statemachines/ssc-triage.asl.json', import.meta.url));

export const TABLE_NAME_SUBSTITUTION = 'NotificationsTableName';

/**
 * Every `${…}` the ASL file may use, from the function ARNs and the table name given: for this
 * tree's workflow tasks, or those of another release (the sandbox runs a previous one's ASL).
 */
export const definitionSubstitutions = <T extends string = WorkflowTaskName>(
  functionArn: (task: T) => string,
  tableName: string,
  tasks: readonly T[] = workflowTaskNames as readonly string[] as readonly T[],
): Record<string, string> => ({
  ...Object.fromEntries(tasks.map((task) => [substitutionFor(task as string as WorkflowTaskName), functionArn(task)])),
  [TABLE_NAME_SUBSTITUTION]: tableName,
});

/** An ASL text with substitutions applied, as Step Functions will see it. Unknown placeholders are an error. */
export const substituteAsl = (asl: string, substitutions: Record<string, string>): Record<string, unknown> => {
  const text = asl.replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Error(`ASL placeholder \${${key}} has no substitution`);
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
};

/** This tree's ASL file with substitutions applied. */
export const substitutedDefinition = (substitutions: Record<string, string>): Record<string, unknown> =>
  substituteAsl(readFileSync(SSC_TRIAGE_ASL, 'utf8'), substitutions);
