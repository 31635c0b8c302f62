import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { definitionSubstitutions, SSC_TRIAGE_ASL, substitutedDefinition } from '../../infra/workflow-definition';
import { type Definition, README_MARKERS, mermaidOf, readmeBlock } from '../../infra/workflow-diagram';
import asl from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };

/** The ASL file itself: valid Amazon States Language, every waiting task bounded, names in SEC terms. */
const definition = substitutedDefinition(definitionSubstitutions((task) => `arn:aws:lambda:eu-west-2:123456789012:function:${task}`, 'NotificationsTable')) as {
  States: Record<string, Record<string, any>>;
};

describe('ssc-triage.asl.json', () => {
  it('is valid Amazon States Language', () => {
    const { isValid, errorsText } = aslValidator(definition);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('uses only placeholders the stack and the sandbox both fill', () => {
    const placeholders = [...readFileSync(SSC_TRIAGE_ASL, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
    const filled = Object.keys(definitionSubstitutions(() => 'x', 'y'));
    expect(placeholders.filter((p) => !filled.includes(p as string))).toEqual([]);
  });

  it('bounds every wait for a person with a timeout, and catches it', () => {
    const waits = Object.entries(definition.States).filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken'));
    expect(waits.length).toBeGreaterThan(0);
    for (const [, state] of waits) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath).toBeDefined();
      expect(state.Catch.some((c: { ErrorEquals: string[] }) => c.ErrorEquals.includes('States.Timeout'))).toBe(true);
    }
  });

  it('retries every task on named transient errors only, never on States.ALL or a timeout', () => {
    for (const [name, state] of Object.entries(definition.States).filter(([, s]) => s.Type === 'Task')) {
      expect(state.Retry, name).toBeDefined();
      for (const retrier of state.Retry) {
        expect(retrier.ErrorEquals, name).not.toContain('States.ALL');
        expect(retrier.ErrorEquals, name).not.toContain('States.Timeout');
        expect(retrier.JitterStrategy, name).toBe('FULL');
      }
    }
  });
});

describe("the README's picture of the workflow", () => {
  it('is the ASL file as it stands (run `npm run update:diagram` after changing it)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.slice(readme.indexOf(README_MARKERS.start), readme.indexOf(README_MARKERS.end) + README_MARKERS.end.length);
    expect(block).toBe(readmeBlock(asl as unknown as Definition));
  });

  it('has every state, every transition, every choice and every caught error', () => {
    const diagram = mermaidOf(asl as unknown as Definition);
    const states = asl.States as Record<string, { Next?: string; Default?: string; Choices?: Array<{ Next: string }>; Catch?: Array<{ Next: string }> }>;
    for (const [name, state] of Object.entries(states)) {
      expect(diagram).toMatch(new RegExp(`^  ${name}[[({]`, 'm'));
      for (const next of [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next)].filter(Boolean))
        expect(diagram).toMatch(new RegExp(`^  ${name} -->(\\|[^|]+\\| )? ?${next}$`, 'm'));
      for (const c of state.Catch ?? []) expect(diagram).toMatch(new RegExp(`^  ${name} -\\.->\\|[^|]+\\| ${c.Next}$`, 'm'));
    }
  });
});
