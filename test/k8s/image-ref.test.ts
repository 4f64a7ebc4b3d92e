import { describe, expect, it } from 'vitest';
import {
  dockerReference,
  hasTag,
  type ImageRef,
  isLatestOrUntagged,
  isParseError,
  parseImageRef,
  parseReference,
  registryMatches,
} from '../../src/k8s/image-ref.js';

// Upstream tables: github.com/distribution/reference@0965666 (v0.6.0-22), normalize_test.go and reference_test.go.

function ok(s: string): ImageRef {
  const r = parseImageRef(s);
  if (isParseError(r)) throw new Error(`${s}: ${r.error}`);
  return r;
}

const hex64 = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';

describe('parseImageRef: normalize_test.go TestValidateReferenceName', () => {
  it.each([
    'docker/docker',
    'library/debian',
    'debian',
    'localhost/library/debian',
    'localhost/debian',
    'LOCALDOMAIN/library/debian',
    'LOCALDOMAIN/debian',
    'docker.io/docker/docker',
    'docker.io/library/debian',
    'docker.io/debian',
    'index.docker.io/docker/docker',
    'index.docker.io/library/debian',
    'index.docker.io/debian',
    '127.0.0.1:5000/docker/docker',
    '127.0.0.1:5000/library/debian',
    '127.0.0.1:5000/debian',
    '192.168.0.1',
    '192.168.0.1:80',
    '192.168.0.1:8/debian',
    '192.168.0.2:25000/debian',
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    '[fc00::1]:5000/docker',
    '[fc00::1]:5000/docker/docker',
    '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
    'docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
    'Docker/docker',
    'DOCKER/docker',
  ])('accepts %s', (s) => {
    expect(isParseError(parseImageRef(s))).toBe(false);
  });

  it.each([
    'https://github.com/docker/docker',
    'docker/Docker',
    '-docker',
    '-docker/docker',
    '-docker.io/docker/docker',
    'docker///docker',
    'docker.io/docker/Docker',
    'docker.io/docker///docker',
    '[fc00::1]',
    '[fc00::1]:5000',
    'fc00::1:5000/debian',
    '[fe80::1%eth0]:5000/debian',
    '[2001:db8:3:4::192.0.2.33]:5000/debian',
    '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a',
  ])('rejects %s', (s) => {
    expect(isParseError(parseImageRef(s))).toBe(true);
  });
});

describe('parseImageRef: normalize_test.go TestValidateRemoteName', () => {
  it.each(['docker/docker', 'docker-rules/docker', 'docker---rules/docker', 'doc/docker', 'd/docker', 'jess/t', 'dock__er/docker'])('accepts %s', (s) => {
    expect(isParseError(parseImageRef(s))).toBe(false);
  });

  it.each([
    'docker/Docker',
    'docker///docker',
    '-docker/docker',
    'docker-/docker',
    '-docker-/docker',
    '____/____',
    '_docker/_docker',
    'dock..er/docker',
    'dock_.er/docker',
    'dock-.er/docker',
    'docker/',
    `${'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_'.repeat(4)}/docker`,
  ])('rejects %s', (s) => {
    expect(isParseError(parseImageRef(s))).toBe(true);
  });
});

describe('parseImageRef: normalize_test.go TestParseRepositoryInfo', () => {
  const cases: { path: string; familiar: string; full: string; ambiguous?: string; domain: string }[] = [
    { path: 'fooo', familiar: 'localhost/fooo', full: 'localhost/fooo', ambiguous: 'localhost/fooo', domain: 'localhost' },
    { path: 'fooo/bar', familiar: 'localhost/fooo/bar', full: 'localhost/fooo/bar', ambiguous: 'localhost/fooo/bar', domain: 'localhost' },
    { path: 'fooo', familiar: 'LOCALDOMAIN/fooo', full: 'LOCALDOMAIN/fooo', domain: 'LOCALDOMAIN' },
    { path: 'fooo/bar', familiar: 'LOCALDOMAIN/fooo/bar', full: 'LOCALDOMAIN/fooo/bar', domain: 'LOCALDOMAIN' },
    { path: 'fooo/bar', familiar: 'fooo/bar', full: 'docker.io/fooo/bar', ambiguous: 'index.docker.io/fooo/bar', domain: 'docker.io' },
    { path: 'library/ubuntu', familiar: 'ubuntu', full: 'docker.io/library/ubuntu', ambiguous: 'library/ubuntu', domain: 'docker.io' },
    { path: 'nonlibrary/ubuntu', familiar: 'nonlibrary/ubuntu', full: 'docker.io/nonlibrary/ubuntu', domain: 'docker.io' },
    { path: 'other/library', familiar: 'other/library', full: 'docker.io/other/library', domain: 'docker.io' },
    { path: 'private/moonbase', familiar: '127.0.0.1:8000/private/moonbase', full: '127.0.0.1:8000/private/moonbase', domain: '127.0.0.1:8000' },
    { path: 'privatebase', familiar: '127.0.0.1:8000/privatebase', full: '127.0.0.1:8000/privatebase', domain: '127.0.0.1:8000' },
    { path: 'private/moonbase', familiar: 'example.com/private/moonbase', full: 'example.com/private/moonbase', domain: 'example.com' },
    { path: 'privatebase', familiar: 'example.com/privatebase', full: 'example.com/privatebase', domain: 'example.com' },
    { path: 'private/moonbase', familiar: 'example.com:8000/private/moonbase', full: 'example.com:8000/private/moonbase', domain: 'example.com:8000' },
    { path: 'privatebasee', familiar: 'example.com:8000/privatebasee', full: 'example.com:8000/privatebasee', domain: 'example.com:8000' },
    {
      path: 'library/ubuntu-12.04-base',
      familiar: 'ubuntu-12.04-base',
      full: 'docker.io/library/ubuntu-12.04-base',
      ambiguous: 'index.docker.io/library/ubuntu-12.04-base',
      domain: 'docker.io',
    },
    { path: 'library/foo', familiar: 'foo', full: 'docker.io/library/foo', ambiguous: 'docker.io/foo', domain: 'docker.io' },
    { path: 'library/foo/bar', familiar: 'library/foo/bar', full: 'docker.io/library/foo/bar', domain: 'docker.io' },
    { path: 'store/foo/bar', familiar: 'store/foo/bar', full: 'docker.io/store/foo/bar', domain: 'docker.io' },
    { path: 'bar', familiar: 'Foo/bar', full: 'Foo/bar', domain: 'Foo' },
    { path: 'bar', familiar: 'FOO/bar', full: 'FOO/bar', domain: 'FOO' },
  ];
  for (const tc of cases) {
    for (const input of [tc.familiar, tc.full, ...(tc.ambiguous ? [tc.ambiguous] : [])]) {
      it(input, () => {
        const r = ok(input);
        expect([r.familiar, r.normalized, r.domain, r.path]).toEqual([tc.familiar, tc.full, tc.domain, tc.path]);
      });
    }
  }
});

describe('parseImageRef: tags and digests', () => {
  it('keeps both tag and digest (normalize_test.go TestParseReferenceWithTagAndDigest)', () => {
    const short = 'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
    const r = ok(short);
    expect(r.normalized).toBe(`docker.io/library/${short}`);
    expect(r.familiar).toBe(short);
    expect(r.tag).toBe('latest');
    expect(r.digest).toBe('sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa');
  });

  it.each([
    ['test.com/foo', 'test.com', 'foo'],
    ['test_com/foo', 'docker.io', 'test_com/foo'],
    ['docker/migrator', 'docker.io', 'docker/migrator'],
    ['test.com:8080/foo', 'test.com:8080', 'foo'],
    ['test-com:8080/foo', 'test-com:8080', 'foo'],
    ['foo', 'docker.io', 'library/foo'],
    ['xn--n3h.com/foo', 'xn--n3h.com', 'foo'],
    ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
    ['docker.io/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo', 'docker.io', 'library/foo'],
    ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
  ])('splits %s into domain and path (normalize_test.go TestNormalizedSplitHostname)', (input, domain, path) => {
    const r = ok(input);
    expect([r.domain, r.path]).toEqual([domain, path]);
  });

  const d = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:latest', 'docker.io/library/busybox:latest'],
    [`busybox@${d}`, `docker.io/library/busybox@${d}`],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox:latest', 'docker.io/library/busybox:latest'],
    ['library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['gcr.io/library/busybox', 'gcr.io/library/busybox:latest'],
    [`gcr.io/library/busybox:latest@${d}`, `gcr.io/library/busybox@${d}`],
  ])('dockerReference(%s) = %s (normalize_test.go TestParseDockerRef)', (input, expected) => {
    expect(dockerReference(ok(input))).toBe(expected);
  });

  it.each([
    ['nginx', false, true],
    ['nginx:latest', true, true],
    ['nginx:Latest', true, false],
    ['nginx:1.27', true, false],
    [`nginx@sha256:${hex64}`, false, false],
    [`nginx:latest@sha256:${hex64}`, true, false],
    ['localhost:5000', true, false],
  ])('%s: hasTag %s, isLatestOrUntagged %s', (input, tagged, floating) => {
    const r = ok(input);
    expect(hasTag(r)).toBe(tagged);
    expect(isLatestOrUntagged(r)).toBe(floating);
  });

  it('reads a lone host:port as an image with a tag, as upstream does', () => {
    expect(ok('localhost:5000')).toMatchObject({ domain: 'docker.io', path: 'library/localhost', tag: '5000' });
  });
});

describe('parseReference: reference_test.go TestReferenceParse', () => {
  const cases: { input: string; err?: string; domain?: string; path?: string; tag?: string; digest?: string }[] = [
    { input: 'test_com', domain: '', path: 'test_com' },
    { input: 'test.com:tag', domain: '', path: 'test.com', tag: 'tag' },
    { input: 'test.com:5000', domain: '', path: 'test.com', tag: '5000' },
    { input: 'test.com/repo:tag', domain: 'test.com', path: 'repo', tag: 'tag' },
    { input: 'test:5000/repo', domain: 'test:5000', path: 'repo' },
    { input: 'test:5000/repo:tag', domain: 'test:5000', path: 'repo', tag: 'tag' },
    { input: `test:5000/repo@sha256:${hex64}`, domain: 'test:5000', path: 'repo', digest: `sha256:${hex64}` },
    { input: `test:5000/repo:tag@sha256:${hex64}`, domain: 'test:5000', path: 'repo', tag: 'tag', digest: `sha256:${hex64}` },
    { input: '', err: 'repository name must have at least one component' },
    { input: ':justtag', err: 'invalid reference format' },
    { input: `@sha256:${hex64}`, err: 'invalid reference format' },
    { input: 'repo@sha256:ffffffffffffffffffffffffffffffffff', err: 'invalid checksum digest length' },
    { input: `validname@invaliddigest:${hex64}`, err: 'unsupported digest algorithm' },
    { input: 'Uppercase:tag', err: 'repository name must be lowercase' },
    { input: 'test:5000/Uppercase/lowercase:tag', err: 'repository name must be lowercase' },
    { input: 'lowercase:Uppercase', domain: '', path: 'lowercase', tag: 'Uppercase' },
    { input: `domain/${'a'.repeat(256)}:tag`, err: 'repository name must not be more than 255 characters' },
    { input: `${'a/'.repeat(127)}a:tag-puts-this-over-max`, domain: 'a', path: `${'a/'.repeat(126)}a`, tag: 'tag-puts-this-over-max' },
    { input: 'aa/asdf$$^/aa', err: 'invalid reference format' },
    { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag' },
    { input: 'b.gcr.io/test.example.com/my-app:test.example.com', domain: 'b.gcr.io', path: 'test.example.com/my-app', tag: 'test.example.com' },
    { input: `xn--7o8h.com/myimage:xn--7o8h.com@sha256:${hex64}`, domain: 'xn--7o8h.com', path: 'myimage', tag: 'xn--7o8h.com', digest: `sha256:${hex64}` },
    { input: 'foo_bar.com:8080', domain: '', path: 'foo_bar.com', tag: '8080' },
    { input: 'foo/foo_bar.com:8080', domain: 'foo', path: 'foo_bar.com', tag: '8080' },
    { input: '192.168.1.1:5000/repo:5050', domain: '192.168.1.1:5000', path: 'repo', tag: '5050' },
    { input: '[2001:db8::1]', err: 'invalid reference format' },
    { input: '[2001:db8::1]:5000', err: 'invalid reference format' },
    { input: '[2001:db8::1]/repo', domain: '[2001:db8::1]', path: 'repo' },
    { input: '[2001:db8::1]:5000/repo:tag', domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag' },
    { input: '[::1]:5000/repo', domain: '[::1]:5000', path: 'repo' },
    { input: '[fe80::1%eth0]:5000/repo', err: 'invalid reference format' },
    { input: `example.com/${'a'.repeat(255)}:tag`, domain: 'example.com', path: 'a'.repeat(255), tag: 'tag' },
    // Upstream's test binary links only sha256 and expects "unsupported"; runtimes link sha512 (see the module header).
    { input: `validname@sha512:${'f'.repeat(128)}`, domain: '', path: 'validname', digest: `sha512:${'f'.repeat(128)}` },
  ];
  it.each(cases)('$input', ({ input, err, ...want }) => {
    const r = parseReference(input);
    if (err !== undefined) expect(r).toEqual({ error: err });
    else expect(r).toEqual(Object.fromEntries(Object.entries(want).filter(([, v]) => v !== undefined)));
  });

  it('rejects uppercase hex and a wrong length for the algorithm (go-digest v1.0.0 Algorithm.Validate)', () => {
    expect(parseReference(`a@sha256:${'F'.repeat(64)}`)).toEqual({ error: 'invalid checksum digest format' });
    expect(parseReference(`a@sha384:${'f'.repeat(64)}`)).toEqual({ error: 'invalid checksum digest length' });
  });
});

describe('parseImageRef on untrusted input', () => {
  it('never throws, and stays linear on long hostile strings', () => {
    const hostile = ['a-'.repeat(50_000), `${'a.'.repeat(50_000)}/!`, `a/${'b'.repeat(100_000)}@`, 42 as unknown as string, undefined as unknown as string];
    const start = performance.now();
    for (const s of hostile) expect(isParseError(parseImageRef(s))).toBe(true);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('registryMatches', () => {
  it.each([
    ['gcr.io/proj/x:1', 'gcr.io/proj', true],
    ['gcr.io/proj:1', 'gcr.io/proj', true],
    [`gcr.io/proj@sha256:${hex64}`, 'gcr.io/proj', true],
    ['gcr.io/project/x', 'gcr.io/proj', false],
    ['gcr.io/proj/x', 'gcr.io/proj/', true],
    ['evilgcr.io/x', 'gcr.io', false],
    ['gcr.io.evil.com/x', 'gcr.io', false],
    ['gcr.io:443/x', 'gcr.io', false],
    ['GCR.io/x', 'gcr.io', true],
    ['nginx', 'docker.io', true],
    ['nginx', 'index.docker.io', true],
    ['nginx', 'docker.io/library', true],
    ['nginx', 'docker.io/nginx', false],
    ['nginx:1.27', 'docker.io/library/nginx', true],
    ['bitnami/redis', 'bitnami', true],
    ['bitnami/redis', 'docker.io/bitnami', true],
    ['bitnamilabs/redis', 'bitnami', false],
    ['localhost/app', 'localhost', true],
    ['localhost:5000/app', 'localhost:5000', true],
    ['registry.corp.example/dev/app:1', 'registry.corp.example/dev/app:1', true],
    ['registry.corp.example/dev/app:1.2', 'registry.corp.example/dev/app:1', false],
    ['ghcr.io/my-org/app', '', false],
    ['ghcr.io/my-org/app', '  ghcr.io/my-org ', true],
  ])('%s under %j: %s', (image, allowed, expected) => {
    expect(registryMatches(ok(image), allowed)).toBe(expected);
  });
});
