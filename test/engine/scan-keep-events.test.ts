import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import type { ParsedFile } from '../../src/yaml/parse.js';

const privileged = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p}',
  'spec:',
  '  containers:',
  '    - name: a',
  '      image: a:1',
  '      securityContext: {privileged: true}',
  '',
].join('\n');
const configMap = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data: {a: b}', ''].join('\n');

/** Whether a kept parse holds its events (a data property) or derives them again on first read (a getter: releaseEvents). */
const holdsEvents = (parsed: ParsedFile | undefined): boolean => {
  const d = parsed && Object.getOwnPropertyDescriptor(parsed, 'events');
  return !!d && d.get === undefined && Array.isArray(d.value);
};

describe("scan's keepEvents and keepEventsWithFindings", () => {
  const files = [
    { path: 'pod.yaml', content: privileged },
    { path: 'cm.yaml', content: configMap },
  ];
  it('keepEventsWithFindings keeps the events of the files with a finding only', () => {
    const out = scan(files, {}, { keepEventsWithFindings: true });
    expect(out.findings.some((f) => f.file === 'pod.yaml')).toBe(true);
    expect(out.findings.some((f) => f.file === 'cm.yaml')).toBe(false);
    expect(holdsEvents(out.files.get('pod.yaml')?.parsed)).toBe(true);
    expect(holdsEvents(out.files.get('cm.yaml')?.parsed)).toBe(false);
  });
  it('keepEvents keeps every parse whole, neither option none', () => {
    const kept = scan(files, {}, { keepEvents: true });
    expect(['pod.yaml', 'cm.yaml'].map((p) => holdsEvents(kept.files.get(p)?.parsed))).toEqual([true, true]);
    const released = scan(files, {});
    expect(['pod.yaml', 'cm.yaml'].map((p) => holdsEvents(released.files.get(p)?.parsed))).toEqual([false, false]);
  });
  it('a released parse reads the same events as a kept one', () => {
    const kept = scan(files, {}, { keepEventsWithFindings: true }).files.get('cm.yaml')?.parsed;
    const whole = scan(files, {}, { keepEvents: true }).files.get('cm.yaml')?.parsed;
    expect(kept?.events).toEqual(whole?.events);
  });
});
