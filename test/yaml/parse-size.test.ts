import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseYamlFile } from '../../src/yaml/parse.js';

const limits = (maxBytes: number) => ({ ...DEFAULT_LIMITS, maxBytes });
const reason = (content: string | Uint8Array, maxBytes: number) => parseYamlFile('s.yaml', content, limits(maxBytes)).error?.reason;

describe('parseYamlFile: the byte cap counts UTF-8 bytes, not UTF-16 code units', () => {
  it('takes ASCII text up to the cap and refuses one byte more', () => {
    const text = 'a: b\n'.repeat(20); // 100 bytes
    expect(reason(text, 100)).toBeUndefined();
    expect(reason(text, 99)).toBe('too-large');
  });

  it('refuses multi-byte text whose code units fit but whose bytes do not', () => {
    // 'é' is one code unit and two bytes; '€' one code unit and three; '😀' two code units and four bytes.
    for (const [ch, bytes] of [
      ['é', 2],
      ['€', 3],
      ['😀', 4],
    ] as const) {
      const text = `k: ${ch.repeat(30)}\n`;
      const size = 4 + 30 * bytes;
      expect(Buffer.byteLength(text, 'utf8')).toBe(size);
      expect(reason(text, size), ch).toBeUndefined();
      expect(reason(text, size - 1), ch).toBe('too-large');
      // Near three bytes per code unit, where the length alone does not decide.
      expect(reason(text, text.length * 3 - 1), ch).toBe(size > text.length * 3 - 1 ? 'too-large' : undefined);
    }
  });

  it('counts bytes as given for a byte array', () => {
    const bytes = new TextEncoder().encode(`k: ${'€'.repeat(10)}\n`); // 34 bytes
    expect(reason(bytes, 34)).toBeUndefined();
    expect(reason(bytes, 33)).toBe('too-large');
  });
});
