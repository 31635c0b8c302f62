import fc from 'fast-check';

/**
 * Hostile JSON bodies as a client might send them, for the routes' hostile-body property tests:
 * the valid body, a field dropped or replaced by a hostile value, an extra field, or raw text.
 */
export const hostileString = (...more: string[]) =>
  fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      '<script>alert(1)</script>',
      '"; DROP TABLE cases; --',
      '\u0000\r\nBcc: x@y',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile input that looks like a template on purpose
      '${jndi:ldap://x}',
      '../../etc/passwd',
      '\uD800',
      'Portal \u202eexe.txt',
      '🦄'.repeat(60),
      '2026-02-30',
      '9999-12-31',
      ...more,
    ),
  );

export const anyJson = fc.jsonValue({ maxDepth: 3 });

export type Mutation =
  | { kind: 'valid' }
  | { kind: 'drop'; field: string }
  | { kind: 'replace' | 'extra'; field: string; value: unknown }
  | { kind: 'raw'; text: string };

export const mutations = (fields: readonly string[], hostile = hostileString()): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('valid' as const) }),
    fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom(...fields) }),
    fc.record({ kind: fc.constant('replace' as const), field: fc.constantFrom(...fields), value: fc.oneof(anyJson, hostile) }),
    fc.record({ kind: fc.constant('extra' as const), field: fc.string({ minLength: 1, maxLength: 20 }), value: anyJson }),
    fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(
        fc.string({ maxLength: 200 }),
        anyJson.map((v) => JSON.stringify(v)),
      ),
    }),
  );

/** The body's text: the valid one with the mutation applied, or the raw text. */
export const applied = (valid: Record<string, unknown>, m: Mutation): string => {
  if (m.kind === 'raw') return m.text;
  const body: Record<string, unknown> = { ...valid };
  if (m.kind === 'drop') delete body[m.field];
  if (m.kind === 'replace' || m.kind === 'extra') body[m.field] = m.value;
  return JSON.stringify(body);
};

/** The text as JSON, or undefined when it is not JSON. */
export const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
