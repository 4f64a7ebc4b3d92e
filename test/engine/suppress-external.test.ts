import { describe, expect, it } from 'vitest';
import { type ScanOptions, scan } from '../../src/engine/scan.js';
import { trivyId } from '../../src/engine/suppress.js';
import imageDigest from '../../src/rules/image-digest.js';
import imageMutableTag from '../../src/rules/image-mutable-tag.js';
import privilegedContainer from '../../src/rules/privileged-container.js';

const ruleset = [imageDigest, imageMutableTag, privilegedContainer];

/** A Deployment with an untagged image (image-digest, image-mutable-tag) in `init` and a privileged `app`. */
function deployment(opts: { objectAnn?: string[]; podAnn?: string[]; imageComment?: string }): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    ...(opts.objectAnn ? ['  annotations:', ...opts.objectAnn.map((a) => `    ${a}`)] : []),
    'spec:',
    '  template:',
    ...(opts.podAnn ? ['    metadata:', '      annotations:', ...opts.podAnn.map((a) => `        ${a}`)] : []),
    '    spec:',
    '      initContainers:',
    '      - name: init',
    `        image: busybox${opts.imageComment ?? ''}`,
    '      containers:',
    '      - name: app',
    '        image: ghcr.io/acme/web:1.0',
    '        securityContext:',
    '          privileged: true',
    '',
  ].join('\n');
}

type Row = [ruleId: string, container: string | undefined, by?: string, reason?: string];

/** Every finding, active or suppressed, as [rule, container, suppressed by, reason], in scan order. */
function rows(text: string, options: ScanOptions = {}): Row[] {
  const out = scan([{ path: 'd.yaml', content: text }], { ruleset, ...options });
  return [...out.findings, ...out.suppressed]
    .sort((a, b) => a.line - b.line || a.ruleId.localeCompare(b.ruleId))
    .map((f) => (f.suppressed ? [f.ruleId, f.container, f.suppressed.by, f.suppressed.reason] : [f.ruleId, f.container]));
}

function messages(text: string, options: ScanOptions = {}): string[] {
  return scan([{ path: 'd.yaml', content: text }], { ruleset, ...options }).findings.map((f) => f.message);
}

const NONE: Row[] = [
  ['image-digest', 'init'],
  ['image-mutable-tag', 'init'],
  ['image-digest', 'app'],
  ['privileged-container', 'app'],
];

describe('other tools’ annotations, mapped through the crosswalk', () => {
  it('without any, every finding is active', () => {
    expect(rows(deployment({}))).toEqual(NONE);
  });

  it('kube-linter: ignore-check.kube-linter.io/<check>, reason from the value or the annotation', () => {
    expect(rows(deployment({ objectAnn: ['ignore-check.kube-linter.io/latest-tag: "pinned by Flux image automation"'] }))).toEqual([
      ['image-digest', 'init'],
      ['image-mutable-tag', 'init', 'external-annotation', 'kube-linter: pinned by Flux image automation'],
      ['image-digest', 'app'],
      ['privileged-container', 'app'],
    ]);
    expect(rows(deployment({ podAnn: ['ignore-check.kube-linter.io/privileged-container: ""'] }))[3]).toEqual([
      'privileged-container',
      'app',
      'external-annotation',
      'kube-linter: ignore-check.kube-linter.io/privileged-container',
    ]);
  });

  it('kube-linter: kube-linter.io/ignore-all covers every rule', () => {
    expect(rows(deployment({ objectAnn: ['kube-linter.io/ignore-all: "vendored chart"'] })).map((r) => r[3])).toEqual(
      Array(4).fill('kube-linter: vendored chart'),
    );
  });

  it('kubescape: skip-controls (a comma list) with skip-reason', () => {
    const ann = ['kubescape.io/skip-controls: "C-0057, C-0306"', 'kubescape.io/skip-reason: "node agent, digest from the operator"'];
    expect(rows(deployment({ objectAnn: ann }))).toEqual([
      ['image-digest', 'init', 'external-annotation', 'kubescape: node agent, digest from the operator'],
      ['image-mutable-tag', 'init'],
      ['image-digest', 'app', 'external-annotation', 'kubescape: node agent, digest from the operator'],
      ['privileged-container', 'app', 'external-annotation', 'kubescape: node agent, digest from the operator'],
    ]);
    expect(rows(deployment({ podAnn: ['kubescape.io/skip-controls: C-0057'] }))[3]).toEqual([
      'privileged-container',
      'app',
      'external-annotation',
      'kubescape: kubescape.io/skip-controls: C-0057',
    ]);
  });

  it('kubescape: skip-expiry (RFC 3339) ends the suppression; a malformed one never starts it', () => {
    const ann = (expiry: string) => deployment({ objectAnn: ['kubescape.io/skip-controls: C-0057', `kubescape.io/skip-expiry: "${expiry}"`] });
    expect(rows(ann('2026-12-31T23:59:59Z'), { now: '2026-12-31' })[3]?.[2]).toBe('external-annotation');
    expect(rows(ann('2026-12-31T23:59:59Z'), { now: '2027-01-01' })[3]).toEqual(['privileged-container', 'app']);
    expect(messages(ann('2026-12-31T23:59:59Z'), { now: '2027-01-01' })[3]).toMatch(/ \(suppression expired 2026-12-31\)$/);
    expect(messages(ann('next year'), { now: '2026-01-01' })[3]).toMatch(/ \(suppression expiry "next year" is not an ISO date\)$/);
  });

  it('polaris: exempt, and <check>-exempt, only when "true"', () => {
    expect(rows(deployment({ objectAnn: ['polaris.fairwinds.com/tagNotSpecified-exempt: "true"'] }))[1]).toEqual([
      'image-mutable-tag',
      'init',
      'external-annotation',
      'polaris: polaris.fairwinds.com/tagNotSpecified-exempt',
    ]);
    expect(rows(deployment({ objectAnn: ['polaris.fairwinds.com/tagNotSpecified-exempt: "false"'] }))).toEqual(NONE);
    expect(rows(deployment({ podAnn: ['polaris.fairwinds.com/exempt: "true"'] })).map((r) => r[3])).toEqual(
      Array(4).fill('polaris: polaris.fairwinds.com/exempt'),
    );
  });

  it('checkov: checkov.io/skipN: <ID>=<reason>, or the ID alone', () => {
    const ann = ['checkov.io/skip1: CKV_K8S_14=tag set by Argo CD Image Updater', 'checkov.io/skip2: CKV_K8S_43', 'checkov.io/skip3: CKV_K8S_99=other'];
    expect(rows(deployment({ objectAnn: ann }))).toEqual([
      ['image-digest', 'init', 'external-annotation', 'checkov: checkov.io/skip2'],
      ['image-mutable-tag', 'init', 'external-annotation', 'checkov: tag set by Argo CD Image Updater'],
      ['image-digest', 'app', 'external-annotation', 'checkov: checkov.io/skip2'],
      ['privileged-container', 'app'],
    ]);
  });

  it('datree: datree.skip/<rule>', () => {
    expect(rows(deployment({ podAnn: ['datree.skip/CONTAINERS_MISSING_IMAGE_VALUE_DIGEST: "mirrored internally"'] })).filter((r) => r[2])).toEqual([
      ['image-digest', 'init', 'external-annotation', 'datree: mirrored internally'],
      ['image-digest', 'app', 'external-annotation', 'datree: mirrored internally'],
    ]);
  });
});

describe('Trivy ids in any spelling, wherever minpriv reads an id list', () => {
  it.each(['KSV-0017', 'AVD-KSV-0017', 'KSV017', 'ksv-17'])('minpriv.dev/ignore: %s suppresses the rule of KSV-0017', (id) => {
    expect(rows(deployment({ objectAnn: [`minpriv.dev/ignore: "${id}"`] }))[3]).toEqual(['privileged-container', 'app', 'annotation', undefined]);
  });

  it('in a comment, and other tools’ unambiguous ids (Kubescape, Checkov) too', () => {
    expect(rows(deployment({ imageComment: '  # minpriv:ignore AVD-KSV-0013 -- Flux pins it' }))[1]).toEqual([
      'image-mutable-tag',
      'init',
      'comment',
      'Flux pins it',
    ]);
    expect(rows(deployment({ objectAnn: ['minpriv.dev/ignore: C-0306, CKV_K8S_16'] })).filter((r) => r[2])).toEqual([
      ['image-digest', 'init', 'annotation', undefined],
      ['image-digest', 'app', 'annotation', undefined],
      ['privileged-container', 'app', 'annotation', undefined],
    ]);
  });

  it('a Trivy id of another check suppresses nothing', () => {
    expect(rows(deployment({ objectAnn: ['minpriv.dev/ignore: KSV-0170, KSV018'] }))).toEqual(NONE);
  });

  it('trivyId normalises the three spellings', () => {
    expect(['KSV-0017', 'AVD-KSV-0017', 'KSV017', 'KSV01010', 'KSV-01010', 'KSV-x', 'CKV_K8S_16'].map(trivyId)).toEqual([
      'KSV-0017',
      'KSV-0017',
      'KSV-0017',
      'KSV-01010',
      'KSV-01010',
      undefined,
      undefined,
    ]);
  });
});

describe('per-container suppression', () => {
  it('minpriv.dev/ignore.<container> covers only that container’s findings, with the reason after --', () => {
    expect(rows(deployment({ podAnn: ['minpriv.dev/ignore.init: "image-digest, image-mutable-tag -- busybox from the node image"'] }))).toEqual([
      ['image-digest', 'init', 'annotation', 'busybox from the node image'],
      ['image-mutable-tag', 'init', 'annotation', 'busybox from the node image'],
      ['image-digest', 'app'],
      ['privileged-container', 'app'],
    ]);
    expect(rows(deployment({ objectAnn: ['minpriv.dev/ignore.app: KSV017 -- CNI'] }))[3]).toEqual(['privileged-container', 'app', 'annotation', 'CNI']);
    expect(rows(deployment({ objectAnn: ['minpriv.dev/ignore.other: "*"'] }))).toEqual(NONE);
  });
});

describe('expiry: minpriv.dev/ignore-until', () => {
  const ann = (until: string) => deployment({ objectAnn: ['minpriv.dev/ignore: privileged-container', `minpriv.dev/ignore-until: "${until}"`] });

  it('holds until the end of the day, then the finding is back and says so', () => {
    expect(rows(ann('2026-12-31'), { now: '2026-12-31' })[3]?.[2]).toBe('annotation');
    expect(rows(ann('2026-12-31'), { now: '2027-01-01' })[3]).toEqual(['privileged-container', 'app']);
    expect(messages(ann('2026-12-31'), { now: '2027-01-01T08:00:00Z' })[3]).toBe(
      'container `app` sets `securityContext.privileged: true` (suppression expired 2026-12-31)',
    );
  });

  it('without today (the engine never reads the clock) nothing expires', () => {
    expect(rows(ann('2020-01-01'))[3]?.[2]).toBe('annotation');
  });

  it('a date that is not an ISO date never suppresses', () => {
    expect(messages(ann('2026-02-30'))[3]).toMatch(/\(suppression expiry "2026-02-30" is not an ISO date\)$/);
    expect(rows(ann('31/12/2026'))[3]).toEqual(['privileged-container', 'app']);
  });

  it('covers the per-container form; another suppression that still holds wins', () => {
    const perContainer = deployment({ podAnn: ['minpriv.dev/ignore.init: image-mutable-tag', 'minpriv.dev/ignore-until: 2026-06-30'] });
    expect(messages(perContainer, { now: '2026-07-01' })[1]).toMatch(/\(suppression expired 2026-06-30\)$/);
    const withComment = deployment({
      podAnn: ['minpriv.dev/ignore: image-mutable-tag', 'minpriv.dev/ignore-until: 2026-06-30'],
      imageComment: '  # minpriv:ignore image-mutable-tag',
    });
    expect(rows(withComment, { now: '2026-07-01' })[1]).toEqual(['image-mutable-tag', 'init', 'comment', undefined]);
  });
});
