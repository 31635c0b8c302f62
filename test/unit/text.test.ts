import { describe, expect, it } from 'vitest';
import { MAX_EVENT_TEXT, eventText } from '../../functions/domain/case';
import { headerSafe } from '../../functions/domain/emails';
import { truncate } from '../../functions/domain/text';

describe('texts cut to a length', () => {
  it('never keep half of a surrogate pair, whatever the offset', () => {
    for (const prefix of ['', 'a']) {
      for (let max = 2; max < 12; max++) {
        const cut = truncate(`${prefix}${'🦄'.repeat(10)}`, max);
        expect(cut.isWellFormed()).toBe(true);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.endsWith('…')).toBe(true);
      }
    }
    expect(truncate('short', 5)).toBe('short');
    expect(truncate('abcdef', 4, '')).toBe('abcd');
  });

  it('keep subjects and history events whole in characters and within their bounds', () => {
    const subject = headerSafe(`x${'🦄'.repeat(150)}`);
    expect(subject.isWellFormed()).toBe(true);
    expect(subject.length).toBeLessThanOrEqual(200);
    const event = eventText(`y${'𝔘'.repeat(MAX_EVENT_TEXT)}`);
    expect(event.isWellFormed()).toBe(true);
    expect(event.length).toBeLessThanOrEqual(MAX_EVENT_TEXT);
  });
});
