/**
 * The SscTriageWorkflow drawn from its ASL file, as a Mermaid flowchart: the README shows it (a
 * test fails when the file and the picture disagree) and the sandbox's console draws it with the
 * states a case passed through, and the one it is in, marked, as the Step Functions console does.
 * Mermaid (a maintained library) lays it out; this only says what is connected to what.
 */
type State = {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<Record<string, unknown> & { Next: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
};
export interface Definition {
  StartAt: string;
  States: Record<string, State>;
}

export interface Highlight {
  visited: ReadonlySet<string>;
  /** The state the case waits in now. */
  current?: string;
  /** The state its execution stopped in on a fault. */
  failed?: string;
}

/** Each kind of state its own shape: a waiting task (a person's move) stands out from a plain task. */
const node = (name: string, s: State): string => {
  if (s.Type === 'Choice') return `${name}{"${name}"}`;
  if (s.Type === 'Wait') return `${name}(["${name}"])`;
  if (s.Type === 'Succeed') return `${name}(("${name}"))`;
  if (s.Type === 'Fail') return `${name}[/"${name}"\\]`;
  if (s.Resource?.endsWith('.waitForTaskToken')) return `${name}[["${name}"]]`;
  return `${name}["${name}"]`;
};

/** A Choice rule's label: what it compares, and with what. */
const ruleLabel = (rule: Record<string, unknown>): string => {
  const variable = String(rule.Variable ?? '').replace(/^\$\./, '');
  const [comparison, value] = Object.entries(rule).find(([k]) => k !== 'Variable' && k !== 'Next') ?? ['', ''];
  if (comparison === 'BooleanEquals') return value ? variable : `not ${variable}`;
  if (comparison.endsWith('Equals')) return String(value);
  return `${variable} ${comparison}`;
};

const label = (text: string) => text.replace(/"/g, "'");

export const mermaidOf = (definition: Definition, highlight?: Highlight): string => {
  const lines = ['flowchart TD', `  Start((" ")) --> ${definition.StartAt}`];
  for (const [name, s] of Object.entries(definition.States)) lines.push(`  ${node(name, s)}`);
  for (const [name, s] of Object.entries(definition.States)) {
    if (s.Next) lines.push(`  ${name} --> ${s.Next}`);
    for (const rule of s.Choices ?? []) lines.push(`  ${name} -->|"${label(ruleLabel(rule))}"| ${rule.Next}`);
    if (s.Default) lines.push(`  ${name} -->|"otherwise"| ${s.Default}`);
    for (const c of s.Catch ?? []) lines.push(`  ${name} -.->|"${label(c.ErrorEquals.join(', '))}"| ${c.Next}`);
  }
  if (highlight) {
    lines.push(
      '  classDef visited fill:#e3f2fd,stroke:#1565c0',
      '  classDef current fill:#fff3e0,stroke:#e65100,stroke-width:4px',
      '  classDef failed fill:#ffebee,stroke:#c62828,stroke-width:4px',
    );
    const visited = [...highlight.visited].filter((s) => s in definition.States && s !== highlight.current && s !== highlight.failed);
    if (visited.length) lines.push(`  class ${visited.join(',')} visited`);
    if (highlight.current && highlight.current in definition.States) lines.push(`  class ${highlight.current} current`);
    if (highlight.failed && highlight.failed in definition.States) lines.push(`  class ${highlight.failed} failed`);
  }
  return `${lines.join('\n')}\n`;
};

/** Where the README keeps the picture: a Mermaid block between these markers. */
export const README_MARKERS = {
  start: '<!-- workflow-diagram: generated from statemachines/ssc-triage.asl.json by `npm run update:diagram` -->',
  end: '<!-- workflow-diagram: end -->',
};

export const readmeBlock = (definition: Definition): string => `${README_MARKERS.start}\n\`\`\`mermaid\n${mermaidOf(definition)}\`\`\`\n${README_MARKERS.end}`;
