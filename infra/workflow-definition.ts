import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type WorkflowTaskName, substitutionFor, workflowTaskNames } from '../functions/catalogue';

/** The SscTriageWorkflow's ASL file: deployed by CDK, run by the sandbox, the same file. */
export const SSC_TRIAGE_ASL = fileURLToPath(new URL('../statemachines/ssc-triage.asl.json', import.meta.url));

export const TABLE_NAME_SUBSTITUTION = 'NotificationsTableName';

/** Every `${…}` the ASL file may use, from the function ARNs and the table name given. */
export const definitionSubstitutions = (functionArn: (task: WorkflowTaskName) => string, tableName: string): Record<string, string> => ({
  ...Object.fromEntries(workflowTaskNames.map((task) => [substitutionFor(task), functionArn(task)])),
  [TABLE_NAME_SUBSTITUTION]: tableName,
});

/** The ASL with substitutions applied, as Step Functions will see it. Unknown placeholders are an error. */
export const substitutedDefinition = (substitutions: Record<string, string>): Record<string, unknown> => {
  const text = readFileSync(SSC_TRIAGE_ASL, 'utf8').replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Error(`ASL placeholder \${${key}} has no substitution`);
    return value;
  });
  return JSON.parse(text) as Record<string, unknown>;
};
