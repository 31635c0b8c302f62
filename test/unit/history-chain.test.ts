import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../functions/domain/case';
import {
  type StoredEvent,
  anchorHead,
  digest,
  eventHash,
  legacyHead,
  nextAnchoredHead,
  planAppend,
  stateDigest,
  verifyChain,
} from '../../functions/domain/history-chain';

const reference = 'SUS-AAAAA-2026-0001';
const event = (n: number, type = `Event${n}`): CaseEvent => ({
  at: `2026-03-02T10:00:${String(n).padStart(2, '0')}.000Z`,
  type,
  actor: { kind: 'System', id: 'Test' },
});
const record = { reference, status: 'Received' as const, ownerId: 'client-a' };

/** A chained case of `n` events, written one at a time. */
const chainOf = (n: number) => {
  let history: StoredEvent[] = [];
  let head: { seq: number; hash: string } | undefined;
  for (let i = 1; i <= n; i++) {
    const plan = planAppend(reference, { history, ...(head ? { head } : {}) }, { events: [event(i)], stateAfter: record });
    history = plan.history;
    head = plan.head;
  }
  return { history, head: head as { seq: number; hash: string } };
};

const verify = (history: StoredEvent[], head: { seq: number; hash: string } | undefined, extra: Partial<Parameters<typeof verifyChain>[0]> = {}) =>
  verifyChain({ reference, history, ...(head ? { head } : {}), record, items: [], ...extra });

describe('the history chain', () => {
  it('hashes the RFC 8785 form: key order and spacing do not matter, content does', () => {
    expect(digest({ b: 1, a: 'x' })).toBe(digest({ a: 'x', b: 1 }));
    expect(digest({ a: 'x' })).not.toBe(digest({ a: 'y' }));
    expect(digest({ a: 'x' })).toHaveLength(43);
  });

  it('numbers and links each event to the one before, and the head is the last', () => {
    const { history, head } = chainOf(3);
    expect(history.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(history[1]?.hash).toBe(eventHash(reference, 2, history[0]?.hash as string, history[1] as StoredEvent));
    expect(head).toEqual({ seq: 3, hash: history[2]?.hash });
    expect(history[2]?.state).toBe(stateDigest(record));
    expect(verify(history, head)).toMatchObject({ ok: true, events: 3, chainedFrom: 1, pending: 0 });
  });

  it('holds each write to the fields the write before it left: a change between two writes is named at the second', () => {
    const { history, head } = chainOf(2);
    const decided = { ...record, status: 'AwaitingSscDecision' as const };
    const second = planAppend(reference, { history, head }, { events: [event(3)], stateBefore: record, stateAfter: decided });
    expect(second.history.at(-1)?.before).toBe(stateDigest(record));
    expect(verifyChain({ reference, history: second.history, head: second.head, record: decided, items: [] })).toMatchObject({ ok: true });
    // The status changed on the item after the second write, then a third write chained the fields as it found them.
    const tampered = { ...decided, status: 'OutOfScope' as const };
    const third = planAppend(reference, { history: second.history, head: second.head }, { events: [event(4)], stateBefore: tampered, stateAfter: tampered });
    expect(verifyChain({ reference, history: third.history, head: third.head, record: tampered, items: [] })).toMatchObject({
      ok: false,
      broken: { seq: 4, type: 'Event4', what: expect.stringContaining('changed after event 3') },
    });
    // After the workflow's own writes the fields have moved on: nothing to hold the write to.
    const afterWorkflow = planAppend(
      reference,
      { history: [...second.history, event(4, 'WorkflowWrote')], head: second.head },
      { events: [event(5)], stateBefore: tampered, stateAfter: tampered },
    );
    expect(afterWorkflow.history.at(-1)?.before).toBeUndefined();
  });

  it('names a changed event', () => {
    const { history, head } = chainOf(4);
    const tampered = history.map((e) => (e.seq === 2 ? { ...e, text: 'rewritten' } : e));
    expect(verify(tampered, head)).toMatchObject({ ok: false, broken: { seq: 2, type: 'Event2', what: expect.stringContaining('changed') } });
  });

  it('names the event after a deleted one', () => {
    const { history, head } = chainOf(4);
    expect(
      verify(
        history.filter((e) => e.seq !== 2),
        head,
      ),
    ).toMatchObject({ ok: false, broken: { seq: 2, type: 'Event3', what: expect.stringContaining('deleted') } });
  });

  it('names an inserted event, with or without a forged hash', () => {
    const { history, head } = chainOf(4);
    const bare = [...history.slice(0, 2), event(9, 'Forged'), ...history.slice(2)];
    expect(verify(bare, head)).toMatchObject({ ok: false, broken: { seq: 3, type: 'Forged', what: expect.stringContaining('no hash') } });
    const forged = { ...event(9, 'Forged'), seq: 3, hash: eventHash(reference, 3, history[1]?.hash as string, event(9, 'Forged')) };
    expect(verify([...history.slice(0, 2), forged, ...history.slice(2)], head)).toMatchObject({
      ok: false,
      broken: { seq: 4, type: 'Event3', what: expect.stringContaining('inserted') },
    });
  });

  it('names events swapped', () => {
    const { history, head } = chainOf(4);
    const swapped = [history[0], history[2], history[1], history[3]] as StoredEvent[];
    expect(verify(swapped, head)).toMatchObject({ ok: false, broken: { seq: 2, type: 'Event3', what: expect.stringContaining('reordered') } });
  });

  it('names a head that is not the last event, and a chain older than its anchor', () => {
    const { history, head } = chainOf(4);
    const old = { seq: 2, hash: history[1]?.hash as string };
    expect(verify(history, old)).toMatchObject({ ok: false, broken: { seq: 2, what: expect.stringContaining('older head') } });
    expect(verify(history.slice(0, 2), old, { anchor: { ...head, at: '2026-03-03' } })).toMatchObject({
      ok: false,
      broken: { seq: 4, what: expect.stringContaining('older history') },
    });
    expect(verify(history, head, { anchor: { ...old, at: '2026-03-03' } })).toMatchObject({ ok: true, anchored: { seq: 2 } });
  });

  it('anchors a grown history at its new head, but a rewritten or shortened one at the head anchored before', () => {
    const { history, head } = chainOf(4);
    const previous = { seq: 2, hash: history[1]?.hash as string, at: '2026-03-03T00:00:00.000Z' };
    expect(nextAnchoredHead(reference, history, head, undefined, previous)).toEqual({ head });
    expect(nextAnchoredHead(reference, history, head, undefined)).toEqual({ head });
    // The workflow's events after the head are anchored as they will be chained.
    const pending = [...history, event(5)];
    expect(nextAnchoredHead(reference, pending, head, undefined, previous).head).toEqual(anchorHead(reference, pending, head));
    const shortened = nextAnchoredHead(reference, history.slice(0, 1), { seq: 1, hash: history[0]?.hash as string }, undefined, previous);
    expect(shortened).toEqual({
      head: { seq: 2, hash: previous.hash },
      broken: expect.objectContaining({ seq: 2, what: expect.stringContaining('older history') }),
    });
    const rewritten = chainOf(4).history.map((e, i) => (i === 1 ? { ...e, hash: digest('forged') } : e));
    expect(nextAnchoredHead(reference, rewritten, head, undefined, previous)).toMatchObject({ head: { seq: 2, hash: previous.hash }, broken: { seq: 2 } });
  });

  it('names recorded fields changed after their event, and items changed, deleted or inserted', () => {
    const { history, head } = chainOf(2);
    expect(verifyChain({ reference, history, head, record: { ...record, status: 'Closed' }, items: [] })).toMatchObject({
      ok: false,
      broken: { seq: 2, what: expect.stringContaining('recorded fields') },
    });
    const covered = planAppend(reference, { history, head }, { events: [event(3)], stateAfter: record, covers: [{ sk: 'DELIVERY#m', digest: 'd1' }] });
    const base = { reference, history: covered.history, head: covered.head, record };
    expect(verifyChain({ ...base, items: [{ sk: 'DELIVERY#m', digest: 'd1' }] }).ok).toBe(true);
    expect(verifyChain({ ...base, items: [{ sk: 'DELIVERY#m', digest: 'd2' }] })).toMatchObject({
      broken: { seq: 3, what: expect.stringContaining('changed') },
    });
    expect(verifyChain({ ...base, items: [] })).toMatchObject({ broken: { seq: 3, what: expect.stringContaining('deleted') } });
    expect(
      verifyChain({
        ...base,
        items: [
          { sk: 'DELIVERY#m', digest: 'd1' },
          { sk: 'EXCHANGE#x', digest: 'e' },
        ],
      }),
    ).toMatchObject({
      broken: { what: expect.stringContaining('inserted') },
    });
  });

  it('chains the workflow’s unchained events at the next write as they are, so an anchor taken before still holds', () => {
    const { history, head } = chainOf(2);
    const withWorkflow = [...history, event(3, 'WorkflowWrote')];
    expect(verify(withWorkflow, head)).toMatchObject({ ok: true, pending: 1 });
    const anchored = { ...anchorHead(reference, withWorkflow, head), at: '2026-03-02' };
    expect(anchored.seq).toBe(3);
    expect(verify([...history, event(3, 'Rewritten')], head, { anchor: anchored })).toMatchObject({
      ok: false,
      broken: { seq: 3, what: expect.stringContaining('anchored') },
    });
    const plan = planAppend(reference, { history: withWorkflow, head }, { events: [event(4)], stateAfter: record });
    expect(plan.rewrite).toBe(true);
    expect(plan.history.map((e) => [e.seq, e.caughtUp])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
      [4, 1],
    ]);
    expect(verify(plan.history, plan.head, { anchor: anchored })).toMatchObject({ ok: true, pending: 0, anchored: { seq: 3 } });
  });

  it('anchors a case stored before the chain over all its events', () => {
    const legacy = [event(1), event(2)];
    const anchored = { ...anchorHead(reference, legacy), at: '2026-03-02' };
    expect(verify(legacy, undefined, { anchor: anchored })).toMatchObject({ ok: true, anchored: { seq: 2 } });
    expect(verify([event(1)], undefined, { anchor: anchored })).toMatchObject({ ok: false, broken: { seq: 2, what: expect.stringContaining('removed') } });
  });

  it('starts the chain of a case stored before it after its events, covering them', () => {
    const legacy = [event(1), event(2), event(3)];
    const plan = planAppend(reference, { history: legacy.slice(2), earlier: legacy.slice(0, 2) }, { events: [event(4)], stateAfter: record });
    expect(plan.appended[0]).toMatchObject({ seq: 4 });
    expect(plan.head.seq).toBe(4);
    expect(legacyHead(reference, legacy).seq).toBe(3);
    const all = [...legacy, ...plan.appended];
    expect(verify(all, plan.head)).toMatchObject({ ok: true, chainedFrom: 4 });
    expect(verify([event(1), { ...event(2), text: 'changed' }, event(3), ...plan.appended], plan.head)).toMatchObject({ ok: false, broken: { seq: 4 } });
  });
});
