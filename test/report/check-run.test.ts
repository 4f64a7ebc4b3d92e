import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { annotationBatches, annotationOf, errorOutput, fitCheckOutput, fitText, redact } from '../../src/report/check-run.js';

const finding = (severity: Finding['severity'], line = 3): Finding => ({
  ruleId: 'r',
  severity,
  title: 'T',
  message: 'm',
  file: 'a.yaml',
  line,
  column: 1,
  endLine: line + 2,
  path: [],
  fingerprint: 'f',
  sources: ['minpriv'],
});

describe('annotations', () => {
  it('come in batches of at most 50', () => {
    const many = Array.from({ length: 120 }, () => annotationOf(finding('low'), 'medium'));
    expect(annotationBatches(many).map((b) => b.length)).toEqual([50, 50, 20]);
    expect(annotationBatches([])).toEqual([[]]);
  });
  it('are failures at or above failOn, notices for info, warnings otherwise', () => {
    expect(annotationOf(finding('high'), 'medium')).toEqual({
      path: 'a.yaml',
      start_line: 3,
      end_line: 5,
      annotation_level: 'failure',
      message: 'm',
      title: 'r (high): T',
    });
    expect(annotationOf(finding('low'), 'medium').annotation_level).toBe('warning');
    expect(annotationOf(finding('info'), 'medium').annotation_level).toBe('notice');
    expect(annotationOf(finding('medium', 0), 'critical', 'set x').message).toBe('m\nFix: set x');
    expect(annotationOf(finding('medium', 0), 'critical').start_line).toBe(1);
  });
});

describe('redact and errorOutput', () => {
  it('removes tokens, JWTs, auth headers and keys', () => {
    const text =
      'failed with ghs_abcdefghijklmnopqrstuvwxyz0123 and github_pat_11AAAAAAAAAAAAAAAAAAAAAA_bbb; authorization: token abcdefghijklmnopqrstuvwxyz; jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEyM30.c2lnbmF0dXJlLXNpZ25hdHVyZQ -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----';
    expect(redact(text)).toBe('failed with [redacted] and [redacted]; authorization: token [redacted]; jwt [redacted] [redacted]');
  });
  it('says what failed, with the status, and picks the conclusion from onError', () => {
    const err = Object.assign(new Error('Server Error (token ghp_abcdefghijklmnopqrstuvwxyz0123)'), { status: 502 });
    const out = errorOutput('listing the changed files', err, 'neutral');
    expect(out.conclusion).toBe('neutral');
    expect(out.title).toBe('minpriv could not finish: listing the changed files');
    expect(out.summary).toContain('minpriv failed while listing the changed files (HTTP 502):');
    expect(out.summary).toContain('Server Error (token [redacted])');
    expect(errorOutput('x', new Error('y'), 'fail').conclusion).toBe('failure');
  });
});

describe('summary and text', () => {
  it('cuts each part to 65,535 bytes on a character boundary', () => {
    const big = 'é'.repeat(40_000); // 80,000 bytes
    const { summary, text } = fitCheckOutput({ summary: big, text: big });
    expect(Buffer.byteLength(summary)).toBe(65_535);
    expect(Buffer.byteLength(text)).toBe(65_535);
    expect(summary.endsWith('é…')).toBe(true);
    expect(fitText('héllo', 5)).toBe('h…');
    expect(fitText('abc', 3)).toBe('abc');
  });
});
