import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema } from '../../scripts/gen-schema.js';
import { DEFAULT_CONFIG, fileMatcher, parseConfig, scanOptionsOf } from '../../src/engine/config.js';

describe('parseConfig', () => {
  it('QA2 #7: maxFileBytes is at most 10 MiB and becomes the scan limit', () => {
    const r = parseConfig({ maxFileBytes: 10485761 });
    expect(r.ok ? [] : r.issues).toEqual([{ key: 'maxFileBytes', message: 'Too big: expected number to be <=10485760', value: '10485761' }]);
    const ok = parseConfig({ maxFileBytes: 2097152 });
    expect(ok.ok ? scanOptionsOf(ok.config).limits : undefined).toEqual({ maxBytes: 2097152 });
  });

  it('an absent file means the defaults', () => {
    expect(parseConfig(null)).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(DEFAULT_CONFIG).toEqual({
      include: ['**/*.yaml', '**/*.yml'],
      exclude: ['.github/**'],
      profile: 'pss-restricted',
      rules: {},
      failOn: 'medium',
      scope: 'changed-resources',
      comments: { max: 30 },
      suggestions: true,
      onError: 'fail',
      pssVersion: { major: 1, minor: 37 },
      maxFileBytes: 1048576,
      maxPullRequestBytes: 33554432,
      maxFindingsPerFile: 100,
      failOnExisting: false,
      rbac: { failOnNewRisky: true, maxFiles: 5000 },
      drafts: 'check',
      annotations: { max: 500 },
      images: { allowedRegistries: [], disallowedTags: ['latest'], requireDigest: false, digestExempt: [], mirrors: {} },
      scanners: {
        kubescape: { enabled: false, args: [], timeoutSeconds: 120, frameworks: [] },
        trivy: { enabled: false, args: [], timeoutSeconds: 120 },
        kubeLinter: { enabled: false, args: [], timeoutSeconds: 120 },
        datree: { enabled: false, args: [], timeoutSeconds: 120 },
      },
    });
  });

  it('accepts every key, `off`/`on` for suggestions, and _extends (read by Probot)', () => {
    const r = parseConfig({
      _extends: '.github',
      include: ['k8s/**'],
      exclude: ['k8s/vendor/**'],
      profile: 'pss-baseline',
      rules: { 'privileged-container': 'high', 'host-ports': 'off' },
      failOn: 'high',
      scope: 'changed-files',
      comments: { max: 5 },
      suggestions: 'off',
      onError: 'neutral',
      pssVersion: 'v1.30',
      maxFileBytes: 5242880,
      failOnExisting: true,
      drafts: 'review',
      annotations: { max: 100 },
    });
    expect(r).toEqual({
      ok: true,
      config: {
        ...DEFAULT_CONFIG,
        include: ['k8s/**'],
        exclude: ['k8s/vendor/**'],
        profile: 'pss-baseline',
        rules: { 'privileged-container': 'high', 'host-ports': 'off' },
        failOn: 'high',
        scope: 'changed-files',
        comments: { max: 5 },
        suggestions: false,
        onError: 'neutral',
        pssVersion: { major: 1, minor: 30 },
        maxFileBytes: 5242880,
        failOnExisting: true,
        drafts: 'review',
        annotations: { max: 100 },
      },
    });
  });

  it('names each bad key and why', () => {
    const r = parseConfig({ failOn: 'severe', comments: { max: -1 }, onError: 'ignore', pssVersion: '2.0', include: [], typo: true });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues.map((i) => i.key)).toEqual(['include', 'failOn', 'comments.max', 'onError', 'pssVersion', 'typo']);
    expect(r.ok ? '' : r.issues.find((i) => i.key === 'pssVersion')?.message).toBe('expected a Kubernetes minor version such as "v1.33", or "latest"');
    expect(parseConfig(['a'])).toEqual({ ok: false, issues: [{ key: '(root)', message: 'Invalid input: expected object, received array' }] });
  });
});

describe('fileMatcher', () => {
  it('include then exclude, dotfiles included', () => {
    const m = fileMatcher({ include: ['**/*.yaml', '**/*.yml'], exclude: ['charts/**'] });
    expect(['a.yaml', 'k8s/b.yml', '.github/x.yaml', 'charts/c/t.yaml', 'README.md', 'a.yaml.txt'].filter(m)).toEqual([
      'a.yaml',
      'k8s/b.yml',
      '.github/x.yaml',
    ]);
  });
});

describe('schema/minpriv.schema.json', () => {
  it('is up to date with the zod schema (regenerate: npx tsx scripts/gen-schema.ts)', () => {
    const committed = readFileSync(new URL('../../schema/minpriv.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderSchema());
    const schema = JSON.parse(committed);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      '_extends',
      'include',
      'exclude',
      'profile',
      'rules',
      'failOn',
      'rbac',
      'failOnExisting',
      'scope',
      'comments',
      'suggestions',
      'onError',
      'maxFileBytes',
      'maxPullRequestBytes',
      'maxFindingsPerFile',
      'pssVersion',
      'drafts',
      'annotations',
      'images',
      'scanners',
    ]);
  });
});

describe('config issues (QA2 #14)', () => {
  it('show the bad value and a "did you mean" for close keys, rule ids and values; none when nothing is close', () => {
    const r = parseConfig({ failOn: 'hgih', suggestion: true, rules: { privileged: 'off', zzz: 'off' } });
    expect(r.ok ? [] : r.issues).toEqual([
      { key: 'rules.privileged', message: 'unknown rule id (see `minpriv rules`); did you mean `privileged-container`?' },
      { key: 'rules.zzz', message: 'unknown rule id (see `minpriv rules`)' },
      { key: 'failOn', message: 'expected one of `critical`, `high`, `medium`, `low`, `info`; did you mean `high`?', value: '"hgih"' },
      { key: 'suggestion', message: 'unknown key; did you mean `suggestions`?' },
    ]);
  });

  it('an unknown key under comments is matched against its own keys', () => {
    const r = parseConfig({ comments: { mx: 3 } });
    expect(r.ok ? [] : r.issues).toEqual([{ key: 'comments.mx', message: 'unknown key; did you mean `max`?' }]);
  });
});
