import { describe, expect, it } from 'vitest';
import { inlinePatchesOf, isJsonPatch, jsonPatchValues, kustomizationsAbove, kustomizationsBeside } from '../../src/k8s/kustomize.js';

describe('kustomize helpers', () => {
  it('kustomizationsBeside: every accepted name in each folder, once, minus the given paths', () => {
    expect(kustomizationsBeside(['overlays/prod/image.yaml', 'overlays/prod/kustomization.yaml', 'pod.yaml'])).toEqual([
      'overlays/prod/kustomization.yml',
      'overlays/prod/Kustomization',
      'kustomization.yaml',
      'kustomization.yml',
      'Kustomization',
    ]);
  });

  it('kustomizationsAbove: each folder and its ancestors up to the root, once; absolute and ../ paths only their own folder', () => {
    expect(kustomizationsAbove(['a/b/patches/x.yaml', 'a/c.yaml', '/abs/d/e.yaml', '../up/f.yaml'])).toEqual([
      'a/b/patches/kustomization.yaml',
      'a/b/patches/kustomization.yml',
      'a/b/patches/Kustomization',
      'a/b/kustomization.yaml',
      'a/b/kustomization.yml',
      'a/b/Kustomization',
      'a/kustomization.yaml',
      'a/kustomization.yml',
      'a/Kustomization',
      'kustomization.yaml',
      'kustomization.yml',
      'Kustomization',
      '/abs/d/kustomization.yaml',
      '/abs/d/kustomization.yml',
      '/abs/d/Kustomization',
      '../up/kustomization.yaml',
      '../up/kustomization.yml',
      '../up/Kustomization',
    ]);
  });

  it('inlinePatchesOf: patch strings and document items of patchesStrategicMerge, not file names', () => {
    const doc = {
      patches: [{ path: 'a.yaml' }, { patch: 'kind: X\n' }],
      patchesStrategicMerge: ['b.yaml', 'kind: Y\nmetadata: {}\n'],
      patchesJson6902: [{ path: 'c.yaml' }, { patch: '- op: add\n' }],
    };
    expect(inlinePatchesOf(doc).map((p) => p.path)).toEqual([
      ['patches', 1, 'patch'],
      ['patchesStrategicMerge', 1],
      ['patchesJson6902', 1, 'patch'],
    ]);
  });

  it('jsonPatchValues: partial objects whose kind places the pod spec; ~1 and - in pointers', () => {
    const ops = [
      { op: 'add', path: '/spec/jobTemplate/spec/template/spec/hostPID', value: true },
      { op: 'replace', path: '/spec/containers/-', value: { name: 'a' } },
      { op: 'add', path: '/spec/template/metadata/annotations/a~1b', value: 'x' },
      { op: 'test', path: '/spec/hostIPC', value: true },
    ];
    expect(isJsonPatch(ops)).toBe(true);
    expect(isJsonPatch([{ op: 'add' }])).toBe(false);
    expect(jsonPatchValues(ops)).toEqual([
      {
        index: 0,
        pointer: ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'hostPID'],
        object: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: '' }, spec: { jobTemplate: { spec: { template: { spec: { hostPID: true } } } } } },
      },
      {
        index: 1,
        pointer: ['spec', 'containers', 0],
        object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: '' }, spec: { containers: [{ name: 'a' }] } },
      },
      {
        index: 2,
        pointer: ['spec', 'template', 'metadata', 'annotations', 'a/b'],
        object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: '' }, spec: { template: { metadata: { annotations: { 'a/b': 'x' } } } } },
      },
    ]);
  });
});
