import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/core/types.js';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { readPaths } from '../../src/sources/paths.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
const root = mkdtempSync(path.join(tmpdir(), 'minpriv-lazy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A kustomize overlay whose patch is named by a kustomization outside the scanned folder (context).
mkdirSync(path.join(root, 'overlays/prod/patches'), { recursive: true });
writeFileSync(path.join(root, 'overlays/prod/kustomization.yaml'), 'resources: [../../base]\npatches:\n  - path: patches/sc.yaml\n');
writeFileSync(
  path.join(root, 'overlays/prod/patches/sc.yaml'),
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        securityContext:\n          privileged: true\n',
);
cpSync(path.join(FIXTURES, 'rules'), path.join(root, 'rules'), { recursive: true });

const comparable = (r: ScanResult) => ({
  findings: r.findings,
  suppressed: r.suppressed,
  notices: r.notices,
  files: r.filesScanned,
  resources: r.resourcesScanned,
});

async function both(inputs: string[], options: ScanOptions) {
  const read = (lazy: boolean) => readPaths(inputs, { cwd: root, maxBytes: 1024 * 1024, lazy });
  const [eager, lazy] = [await read(false), await read(true)];
  const run = (r: typeof eager) => comparable(scan(r.files, { ...options, contextFiles: r.context }));
  return { eager, lazy, eagerScan: run(eager), lazyScan: run(lazy) };
}

describe('readPaths: lazy', () => {
  it('lists the same files, whose content is the same bytes, read when asked', async () => {
    const { eager, lazy } = await both(['.'], {});
    expect(lazy.files.length).toBeGreaterThan(100);
    expect(lazy.files.map((f) => f.path)).toEqual(eager.files.map((f) => f.path));
    expect(lazy.context).toEqual(eager.context);
    for (let i = 0; i < lazy.files.length; i++)
      expect(Buffer.from(lazy.files[i]?.content as Uint8Array)).toEqual(Buffer.from(eager.files[i]?.content as Uint8Array));
  });

  for (const profile of ['pss-restricted', 'minpriv'] as const) {
    it(`gives the same findings as reading every file first (${profile}${profile === 'minpriv' ? ': rules that need the index' : ''})`, async () => {
      const { eagerScan, lazyScan } = await both(['.'], { profile, keepParsed: false, reportOnly: true });
      expect(lazyScan.findings.length).toBeGreaterThan(100);
      expect(lazyScan).toEqual(eagerScan);
    });
  }

  it('gives the same findings for a named patch file, with its kustomization as context', async () => {
    const { eagerScan, lazyScan, lazy } = await both(['overlays/prod/patches/sc.yaml'], { profile: 'minpriv' });
    expect(lazy.context.map((f) => f.path)).toEqual(['overlays/prod/kustomization.yaml']);
    expect(lazyScan.notices.some((n) => n.kind === 'partial')).toBe(true);
    expect(lazyScan).toEqual(eagerScan);
  });

  it('caps each read at maxBytes + 1 bytes', async () => {
    writeFileSync(path.join(root, 'big.yaml'), 'x'.repeat(5000));
    const got = await readPaths(['big.yaml'], { cwd: root, maxBytes: 100, lazy: true });
    expect(got.files[0]?.content.length).toBe(101);
    rmSync(path.join(root, 'big.yaml'));
  });

  it('throws the error readPaths would have when the file is gone by the time it is read', async () => {
    writeFileSync(path.join(root, 'gone.yaml'), 'kind: Pod\n');
    const got = await readPaths(['gone.yaml'], { cwd: root, maxBytes: 100, lazy: true });
    rmSync(path.join(root, 'gone.yaml'));
    expect(() => got.files[0]?.content).toThrow(expect.objectContaining({ code: 'IO', message: 'gone.yaml: no such file or directory' }));
  });
});
