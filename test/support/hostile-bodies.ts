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

/**
 * A body's mutations: `fields` dropped, or `replace` (the same fields by default) given a hostile
 * value; a field of either may be a path into the body (`party.name`). An extra field is a new
 * top-level member, whatever its name.
 */
export const mutations = (fields: readonly string[], hostile = hostileString(), replace: readonly string[] = fields): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('valid' as const) }),
    fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom(...fields) }),
    fc.record({ kind: fc.constant('replace' as const), field: fc.constantFrom(...replace), value: fc.oneof(anyJson, hostile) }),
    fc.record({ kind: fc.constant('extra' as const), field: fc.string({ minLength: 1, maxLength: 20 }), value: anyJson }),
    fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(
        fc.string({ maxLength: 200 }),
        anyJson.map((v) => JSON.stringify(v)),
      ),
    }),
  );

/** The body's text: the valid one (left as it was) with the mutation applied, or the raw text. */
export const applied = (valid: Record<string, unknown>, m: Mutation): string => {
  if (m.kind === 'raw') return m.text;
  const body = structuredClone(valid);
  if (m.kind === 'extra') body[m.field] = m.value;
  else if (m.kind !== 'valid') {
    const path = m.field.split('.');
    const last = path.pop() as string;
    const parent = path.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, body);
    if (m.kind === 'drop') delete parent[last];
    else parent[last] = m.value;
  }
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
