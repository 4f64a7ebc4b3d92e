import { afterEach, describe, expect, it } from 'vitest';
import { gitChangeSet } from '../../src/sources/git.js';
import { TempRepo } from './git-repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.remove());

describe('gitChangeSet', () => {
  it('reads statuses, renames, patches and head contents of BASE...HEAD', async () => {
    repo = new TempRepo();
    repo.write('k8s/keep.yaml', 'a: 1\nb: 2\nc: 3\n');
    repo.write('k8s/old-name.yaml', 'kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n');
    repo.write('k8s/gone.yaml', 'x: 1\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('k8s/keep.yaml', 'a: 1\nb: 20\nc: 3\n');
    repo.git('mv', 'k8s/old-name.yaml', 'k8s/new name.yaml');
    repo.git('rm', '-q', 'k8s/gone.yaml');
    repo.write('k8s/added.yaml', 'n: 1\n');
    repo.write('README.md', 'hello\n');
    repo.commit('feature');
    // A commit on main after the branch point is not part of BASE...HEAD.
    repo.git('checkout', '-q', 'main');
    repo.write('k8s/main-only.yaml', 'm: 1\n');
    repo.commit('main moves on');

    const { changes } = await gitChangeSet(repo.dir, 'main', 'feature', (p) => p.endsWith('.yaml'));
    const byPath = new Map(changes.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual(['README.md', 'k8s/added.yaml', 'k8s/gone.yaml', 'k8s/keep.yaml', 'k8s/new name.yaml']);
    expect(byPath.get('k8s/keep.yaml')?.status).toBe('modified');
    expect(byPath.get('k8s/keep.yaml')?.patch).toContain('@@ -1,3 +1,3 @@\n a: 1\n-b: 2\n+b: 20\n c: 3');
    expect(new TextDecoder().decode(byPath.get('k8s/keep.yaml')?.content as Uint8Array)).toBe('a: 1\nb: 20\nc: 3\n');
    expect(byPath.get('k8s/new name.yaml')).toMatchObject({ status: 'renamed', previousPath: 'k8s/old-name.yaml' });
    // A pure rename: git shows no hunk, so the patch is empty (no changed line), not missing.
    expect(byPath.get('k8s/new name.yaml')?.patch).toBe('');
    expect(changes.source).toBe('git');
    expect(byPath.get('k8s/gone.yaml')).toMatchObject({ status: 'removed' });
    expect(byPath.get('k8s/gone.yaml')?.content).toBeUndefined();
    expect(byPath.get('k8s/added.yaml')?.patch).toContain('@@ -0,0 +1 @@\n+n: 1');
    expect(byPath.get('README.md')?.content).toBeUndefined();
  });

  it('reads the kustomizations beside the changed files at the head revision, for context only', async () => {
    repo = new TempRepo();
    repo.write('overlays/prod/kustomization.yaml', 'resources: [../../base]\n');
    repo.write('overlays/prod/image-patch.yaml', 'kind: Deployment\nmetadata:\n  name: web\n');
    repo.write('base/Kustomization', 'resources: [web.yaml]\n');
    repo.write('base/web.yaml', 'kind: Deployment\n');
    repo.commit('base');
    repo.write('overlays/prod/kustomization.yaml', 'resources: [../../base]\npatches:\n  - path: image-patch.yaml\n');
    repo.write('overlays/prod/image-patch.yaml', 'kind: Deployment\nmetadata:\n  name: web2\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'list the patch');
    repo.write('base/web.yaml', 'kind: Deployment\nmetadata: {}\n');
    repo.commit('base web changed');

    const { changes } = await gitChangeSet(repo.dir, 'HEAD~1', 'HEAD', (p) => p.endsWith('.yaml'));
    expect(changes.files.map((f) => f.path)).toEqual(['base/web.yaml']);
    expect(changes.context?.map((f) => [f.path, new TextDecoder().decode(f.content as Uint8Array)])).toEqual([
      ['base/Kustomization', 'resources: [web.yaml]\n'],
    ]);

    const two = await gitChangeSet(repo.dir, 'HEAD~2', 'HEAD~1', (p) => p.endsWith('.yaml'));
    // The changed kustomization is a changed file, not context; the head revision is read, not the work tree.
    expect(two.changes.files.map((f) => f.path)).toEqual(['overlays/prod/image-patch.yaml', 'overlays/prod/kustomization.yaml']);
    expect(two.changes.context).toEqual([]);
    const { changes: three } = await gitChangeSet(repo.dir, 'HEAD~2', 'HEAD~1', (p) => p.endsWith('patch.yaml'));
    expect(three.context?.map((f) => [f.path, new TextDecoder().decode(f.content as Uint8Array)])).toEqual([
      ['overlays/prod/kustomization.yaml', 'resources: [../../base]\npatches:\n  - path: image-patch.yaml\n'],
    ]);
  });

  it('names an unknown revision', async () => {
    repo = new TempRepo();
    repo.write('a.yaml', 'a: 1\n');
    repo.commit('one');
    await expect(gitChangeSet(repo.dir, 'nope')).rejects.toThrow('unknown git revision "nope"');
  });
});
