import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, scanOptionsOf } from '../../src/engine/config.js';
import { scan } from '../../src/engine/scan.js';

describe('config: images', () => {
  it('defaults: no registry policy, `latest` is mutable, no digest required, no mirrors', () => {
    expect(DEFAULT_CONFIG.images).toEqual({ allowedRegistries: [], disallowedTags: ['latest'], requireDigest: false, digestExempt: [], mirrors: {} });
    expect(parseConfig({ images: {} })).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('accepts every key and hands them to the scan', () => {
    const images = {
      allowedRegistries: ['registry.corp.example', 'ghcr.io/acme', 'docker.io/library'],
      disallowedTags: ['latest', 'main'],
      requireDigest: true,
      digestExempt: ['registry.corp.example/dev/**'],
      mirrors: { 'docker.io': 'registry.corp.example/dockerhub' },
    };
    const r = parseConfig({ images });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.images).toEqual(images);
    expect(scanOptionsOf(r.config).images).toEqual(images);
    expect(scanOptionsOf(r.config)).not.toHaveProperty('now');
    expect(scanOptionsOf(r.config, '2026-07-01').now).toBe('2026-07-01');
  });

  it('is strict, with a hint for a misspelt key, and refuses a scheme or an empty prefix', () => {
    const r = parseConfig({
      images: { allowedRegistry: ['gcr.io'], allowedRegistries: ['https://gcr.io', ''], requireDigest: 'yes', mirrors: { 'docker.io': 'https://mirror.corp' } },
    });
    expect(r.ok ? [] : r.issues).toEqual([
      {
        key: 'images.allowedRegistries.0',
        message: 'expected a registry or repository prefix such as `registry.corp.example/team`, without a scheme',
        value: '"https://gcr.io"',
      },
      { key: 'images.allowedRegistries.1', message: 'a registry prefix cannot be empty', value: '""' },
      { key: 'images.requireDigest', message: 'Invalid input: expected boolean, received string', value: '"yes"' },
      {
        key: 'images.mirrors.docker.io',
        message: 'expected a registry or repository prefix such as `registry.corp.example/team`, without a scheme',
        value: '"https://mirror.corp"',
      },
      { key: 'images.allowedRegistry', message: 'unknown key; did you mean `allowedRegistries`?' },
    ]);
  });

  it('the config reaches the rules: requireDigest under pss-restricted, allowedRegistries, mirrors', () => {
    const r = parseConfig({ images: { requireDigest: true, allowedRegistries: ['ghcr.io/acme'], mirrors: { 'docker.io': 'registry.corp.example/hub' } } });
    if (!r.ok) throw new Error('bad config');
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n';
    const ids = (options: ReturnType<typeof scanOptionsOf>) =>
      scan([{ path: 'p.yaml', content: pod }], options)
        .findings.map((f) => f.ruleId)
        .filter((id) => id.startsWith('image-'));
    // pss-restricted runs image-digest only, because of requireDigest; minpriv runs them all.
    expect(ids(scanOptionsOf(r.config))).toEqual(['image-digest']);
    expect(ids({ ...scanOptionsOf(r.config), profile: 'minpriv' })).toEqual(['image-deprecated-registry', 'image-digest', 'image-registry']);
    expect(ids({ ...scanOptionsOf(DEFAULT_CONFIG), profile: 'minpriv' })).toEqual(['image-digest']);
  });
});
