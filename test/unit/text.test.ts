import { describe, expect, it } from 'vitest';
import { MAX_EVENT_TEXT, eventText } from '../../functions/domain/case';
import { headerSafe } from '../../functions/domain/emails';
import { characters, line, text, truncate } from '../../functions/domain/text';

describe('texts cut to a length', () => {
  it('never keep half of a surrogate pair, whatever the offset', () => {
    for (const prefix of ['', 'a']) {
      for (let max = 2; max < 12; max++) {
        const cut = truncate(`${prefix}${'🦄'.repeat(20)}`, max);
        expect(cut.isWellFormed()).toBe(true);
        expect(characters(cut)).toBe(max);
        expect(cut.endsWith('…')).toBe(true);
      }
    }
    expect(truncate('short', 5)).toBe('short');
    expect(truncate('abcdef', 4, '')).toBe('abcd');
  });

  it('keep subjects and history events whole in characters and within their bounds', () => {
    const subject = headerSafe(`x${'🦄'.repeat(150)}`);
    expect(subject.isWellFormed()).toBe(true);
    expect(subject).toBe(`x${'🦄'.repeat(150)}`);
    expect(characters(headerSafe('🦄'.repeat(250)))).toBe(200);
    const event = eventText(`y${'𝔘'.repeat(MAX_EVENT_TEXT)}`);
    expect(event.isWellFormed()).toBe(true);
    expect(characters(event)).toBe(MAX_EVENT_TEXT);
    expect(eventText('𝔘'.repeat(MAX_EVENT_TEXT))).toBe('𝔘'.repeat(MAX_EVENT_TEXT));
  });
});

describe('one length: characters, meaning Unicode code points', () => {
  it('counts an emoji, a CJK character and a letter each as one', () => {
    expect(characters('a語🦄')).toBe(3);
    expect(characters('')).toBe(0);
  });

  it('is what every text field of the API takes, and its refusal says the limit and the count', () => {
    expect(text(5).safeParse('🦄'.repeat(5)).success).toBe(true);
    const refused = text(5).safeParse('🦄'.repeat(6));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('must be at most 5 characters (Unicode code points); it has 6');
  });

  it('refuses invisible formatting characters in one-line texts, naming the first, but lets the joiners through', () => {
    const refused = line(50).safeParse('Portal\u202eexe.txt');
    expect(refused.error?.issues[0]?.message).toMatch(/invisible formatting characters.*U\+202E/);
    for (const c of ['\u202a', '\u2066', '\u2069', '\u200b', '\u200e', '\ufeff', '\u2060', '\u00ad']) expect(line(50).safeParse(`a${c}b`).success).toBe(false);
    expect(line(50).safeParse('می\u200cخواهم 👩\u200d💻').success).toBe(true);
    expect(text(50).safeParse('a\u202eb').success).toBe(true);
  });
});
