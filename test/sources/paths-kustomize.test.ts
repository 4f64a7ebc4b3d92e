import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPaths } from '../../src/sources/paths.js';

describe('readPaths: kustomizations for context', () => {
  it('QA2 #1: reads the kustomizations of ancestor folders up to the cwd, not above it', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'minpriv-paths-'));
    writeFileSync(path.join(root, 'kustomization.yaml'), 'resources: []\n');
    const cwd = path.join(root, 'repo');
    mkdirSync(path.join(cwd, 'overlays/prod/patches'), { recursive: true });
    writeFileSync(path.join(cwd, 'overlays/prod/kustomization.yaml'), 'patches:\n  - path: patches/x.yaml\n');
    writeFileSync(path.join(cwd, 'overlays/prod/patches/x.yaml'), 'kind: Deployment\n');
    const got = await readPaths(['overlays/prod/patches/x.yaml'], { cwd, maxBytes: 1000 });
    expect(got.files.map((f) => f.path)).toEqual(['overlays/prod/patches/x.yaml']);
    expect(got.context.map((f) => f.path)).toEqual(['overlays/prod/kustomization.yaml']);
  });
});
