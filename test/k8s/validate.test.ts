import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Obj } from '../../src/core/workload.js';
import { isValidSysctlName, kubeletRejects, type ValidationError, validatePodSpec, validatePolicyRule } from '../../src/k8s/validate.js';

// Cases cite kubernetes/kubernetes pkg/apis/core/validation/validation_test.go at 000f2605 (`K8S`) and
// pkg/apis/rbac/validation/validation_test.go (`RBAC`, as stored at 064976be).

const brief = (errs: ValidationError[]) => errs.map((e) => `${e.field}: ${e.message}`);

function spec(containers: Obj[], extra: Obj = {}): Obj {
  return { containers: containers.map((c, i) => ({ name: `c${i}`, image: 'nginx', ...c })), ...extra };
}

const restricted: Obj = {
  securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      image: 'registry.example/app@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    },
  ],
  volumes: [{ name: 'tmp', emptyDir: {} }],
};

describe('validatePodSpec: the cases a least-privilege fix can hit', () => {
  it('accepts a clean restricted pod', () => {
    expect(validatePodSpec(restricted, { labels: { app: 'x' } })).toEqual([]);
    expect(kubeletRejects(restricted)).toEqual([]);
  });

  it('refuses removing privileged while a volumeMount keeps mountPropagation: Bidirectional', () => {
    const volumes = [{ name: 'host', hostPath: { path: '/var/lib/x' } }];
    const mount = { volumeMounts: [{ name: 'host', mountPath: '/x', mountPropagation: 'Bidirectional' }] };
    expect(validatePodSpec(spec([{ ...mount, securityContext: { privileged: true } }], { volumes }), undefined)).toEqual([]);
    expect(validatePodSpec(spec([{ ...mount, securityContext: {} }], { volumes }), undefined)).toEqual([
      {
        path: ['containers', 0, 'volumeMounts', 0, 'mountPropagation'],
        field: 'containers[0].volumeMounts[0].mountPropagation',
        message: 'Forbidden: Bidirectional mount propagation is available only to privileged containers',
        source: 'validateMountPropagation',
      },
    ]);
  });

  it('refuses allowPrivilegeEscalation: false next to privileged: true', () => {
    const errs = validatePodSpec(spec([{ securityContext: { privileged: true, allowPrivilegeEscalation: false } }]), undefined);
    expect(brief(errs)).toEqual(['containers[0].securityContext: Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true']);
    expect(errs[0]?.source).toBe('ValidateSecurityContext');
  });

  it('refuses allowPrivilegeEscalation: false next to an added CAP_SYS_ADMIN, and only that spelling', () => {
    const sc = (cap: string) => spec([{ securityContext: { allowPrivilegeEscalation: false, capabilities: { add: [cap] } } }]);
    expect(brief(validatePodSpec(sc('CAP_SYS_ADMIN'), undefined))).toEqual([
      'containers[0].securityContext: Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
    ]);
    expect(validatePodSpec(sc('SYS_ADMIN'), undefined)).toEqual([]);
  });

  it('refuses a HostProcess pod without hostNetwork', () => {
    const s = spec([{}], { os: { name: 'windows' }, securityContext: { windowsOptions: { hostProcess: true } } });
    expect(brief(validatePodSpec(s, undefined))).toEqual(['hostNetwork: Invalid value: hostNetwork must be true if pod contains any hostProcess containers']);
  });

  it('refuses Linux-only security fields added to a Windows pod (validateWindows)', () => {
    const s = spec([{ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true } }], {
      os: { name: 'windows' },
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(brief(validatePodSpec(s, undefined))).toEqual([
      'securityContext.seccompProfile: Forbidden: cannot be set for a windows pod',
      'containers[0].securityContext.capabilities: Forbidden: cannot be set for a windows pod',
      'containers[0].securityContext.allowPrivilegeEscalation: Forbidden: cannot be set for a windows pod',
    ]);
  });

  it('refuses a seccomp field that contradicts the annotation (validateSeccompAnnotationsAndFieldsMatch)', () => {
    const meta = {
      annotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/c0': 'localhost/profiles/a.json',
      },
    };
    const s = spec([{ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/b.json' } } }], {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(brief(validatePodSpec(s, meta))).toEqual([
      'securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match',
      'containers[0].securityContext.seccompProfile.localhostProfile: Forbidden: seccomp profile in annotation and field must match',
    ]);
    expect(validatePodSpec(s, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default' } })).toEqual([]);
  });

  it('refuses an AppArmor field that contradicts the annotation, the pod profile applying to every container', () => {
    const meta = { annotations: { 'container.apparmor.security.beta.kubernetes.io/c0': 'unconfined' } };
    const s = spec([{}], { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } });
    expect(brief(validatePodSpec(s, meta))).toEqual([
      'containers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match',
    ]);
    expect(validatePodSpec({ ...s, os: { name: 'windows' }, securityContext: {} }, meta)).toEqual([]);
  });

  it('checks the annotations themselves (ValidateSeccompPodAnnotations, ValidateAppArmorPodAnnotations)', () => {
    const meta = {
      annotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'localhost//etc/x',
        'container.apparmor.security.beta.kubernetes.io/gone': 'baz',
        'container.apparmor.security.beta.kubernetes.io/c0': 'localhost/foo-bar',
      },
    };
    expect(brief(validatePodSpec(spec([{}]), meta))).toEqual([
      'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]: Invalid value: must be a relative path',
      'metadata.annotations["container.apparmor.security.beta.kubernetes.io/gone"]: Invalid value: container not found',
      'metadata.annotations["container.apparmor.security.beta.kubernetes.io/gone"]: Invalid value: invalid AppArmor profile name: "baz"',
    ]);
  });

  it('refuses a hostPort that differs from containerPort under hostNetwork (validatePodHostNetworkDeps)', () => {
    const ports = (hostPort?: number) => spec([{ ports: [{ containerPort: 8080, ...(hostPort === undefined ? {} : { hostPort }) }] }], { hostNetwork: true });
    expect(brief(validatePodSpec(ports(9090), undefined, { kind: 'Deployment' }))).toEqual([
      'containers[0].ports[0].hostPort: Invalid value: must match `containerPort` when `hostNetwork` is true',
    ]);
    expect(validatePodSpec(ports(8080), undefined)).toEqual([]);
    expect(validatePodSpec(ports(), undefined, { kind: 'Deployment' })).toEqual([]);
    // A Pod's hostPort is defaulted to containerPort before validation.
    expect(validatePodSpec(ports(), undefined, { kind: 'Pod' })).toEqual([]);
  });

  it('refuses shareProcessNamespace with hostPID, and namespaced sysctls with host namespaces', () => {
    const s = spec([{}], {
      hostPID: true,
      hostNetwork: true,
      shareProcessNamespace: true,
      securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
    });
    expect(brief(validatePodSpec(s, undefined))).toEqual([
      'shareProcessNamespace: Invalid value: ShareProcessNamespace and HostPID cannot both be enabled',
      "securityContext.sysctls[0].name: Invalid value: may not be specified when 'hostNetwork' is true",
    ]);
  });

  it('refuses a mount of a volume that a fix did not add, or added twice', () => {
    const s = spec([{ volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }], {
      volumes: [
        { name: 'tmp', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ],
    });
    expect(brief(validatePodSpec(s, undefined))).toEqual(['volumes[1].name: Duplicate value: "tmp"']);
    expect(brief(validatePodSpec(spec([{ volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }]), undefined))).toEqual([
      'containers[0].volumeMounts[0].name: Not found: "tmp"',
    ]);
    const twoSources = spec([], { volumes: [{ name: 'x', emptyDir: {}, hostPath: { path: '/' } }, { name: 'y' }] });
    expect(brief(validatePodSpec(twoSources, undefined))).toEqual([
      'volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'volumes[1]: Required value: must specify a volume type',
    ]);
  });
});

describe('K8S TestValidateSecurityContext', () => {
  const fullValidSC = () => ({
    privileged: false,
    capabilities: { add: ['foo'], drop: ['bar'] },
    seLinuxOptions: { user: 'user', role: 'role' },
    runAsUser: 1,
  });
  const run = (sc: Obj, hostUsers: boolean) => validatePodSpec(spec([{ securityContext: sc }], hostUsers ? {} : { hostUsers: false }), undefined);

  it.each([
    ['all settings', fullValidSC(), false],
    ['no capabilities', { ...fullValidSC(), capabilities: undefined }, false],
    ['no priv request', { ...fullValidSC(), privileged: undefined }, false],
    ['proc mount set', { ...fullValidSC(), procMount: 'Default' }, true],
    ['proc mount unmasked', { ...fullValidSC(), procMount: 'Unmasked' }, false],
  ])('success: %s', (_name, sc, hostUsers) => {
    expect(run(sc, hostUsers)).toEqual([]);
  });

  it.each([
    ['negative RunAsUser', { ...fullValidSC(), runAsUser: -1 }, 'must be between'],
    [
      'with CAP_SYS_ADMIN and allowPrivilegeEscalation false',
      { ...fullValidSC(), capabilities: { add: ['CAP_SYS_ADMIN'] }, allowPrivilegeEscalation: false },
      'CAP_SYS_ADMIN',
    ],
    ['with privileged and allowPrivilegeEscalation false', { ...fullValidSC(), privileged: true, allowPrivilegeEscalation: false }, '`privileged` to true'],
    ['with unmasked proc mount type and no user namespace', { ...fullValidSC(), procMount: 'Unmasked' }, '`hostUsers` must be false to use `Unmasked`'],
  ])('error: %s', (_name, sc, detail) => {
    const errs = run(sc, true);
    expect(errs).toHaveLength(1);
    expect(errs[0]?.message).toContain(detail);
  });
});

describe('K8S TestValidateMountPropagation', () => {
  const privileged = { securityContext: { privileged: true } };
  const nonPrivileged = { securityContext: { privileged: false } };
  it.each([
    [undefined, {}, false],
    ['HostToContainer', {}, false],
    ['None', {}, false],
    ['Bidirectional', {}, true],
    [undefined, nonPrivileged, false],
    ['HostToContainer', nonPrivileged, false],
    ['Bidirectional', nonPrivileged, true],
    [undefined, privileged, false],
    ['HostToContainer', privileged, false],
    ['Bidirectional', privileged, false],
    ['invalid', privileged, true],
  ])('%s in %j: error %s', (mountPropagation, container, expectError) => {
    const mount = { name: 'foo', mountPath: '/foo', ...(mountPropagation === undefined ? {} : { mountPropagation }) };
    const s = spec([{ ...container, volumeMounts: [mount] }], { volumes: [{ name: 'foo', hostPath: { path: '/foo/baz' } }] });
    expect(validatePodSpec(s, undefined).length > 0).toBe(expectError);
  });
});

describe('K8S TestValidateVolumeMounts (error cases a fix can produce)', () => {
  const volumes = [
    { name: 'abc', persistentVolumeClaim: { claimName: 'testclaim1' } },
    { name: '123', hostPath: { path: '/foo/baz' } },
  ];
  it.each([
    ['empty name', [{ name: '', mountPath: '/foo' }]],
    ['empty mountpath', [{ name: 'abc', mountPath: '' }]],
    [
      'mountpath collision',
      [
        { name: 'abc', mountPath: '/path/a' },
        { name: '123', mountPath: '/path/a' },
      ],
    ],
    ['rro but not ro', [{ name: '123', mountPath: '/rro-bad1', readOnly: false, recursiveReadOnly: 'Enabled' }]],
    [
      'rro with incompatible propagation',
      [{ name: '123', mountPath: '/rro-bad2', readOnly: true, recursiveReadOnly: 'Enabled', mountPropagation: 'HostToContainer' }],
    ],
    ['rro-if-possible but not ro', [{ name: '123', mountPath: '/rro-bad1', readOnly: false, recursiveReadOnly: 'IfPossible' }]],
  ])('%s', (_name, volumeMounts) => {
    expect(validatePodSpec(spec([{ volumeMounts }], { volumes }), undefined)).not.toEqual([]);
  });

  it('accepts the success case mounts', () => {
    const volumeMounts = [
      { name: 'abc', mountPath: '/foo' },
      { name: '123', mountPath: '/bar' },
      { name: '123', mountPath: '/rro-disabled-2', readOnly: false, recursiveReadOnly: 'Disabled' },
      { name: '123', mountPath: '/rro-enabled-2', readOnly: true, recursiveReadOnly: 'Enabled', mountPropagation: 'None' },
    ];
    expect(validatePodSpec(spec([{ volumeMounts }], { volumes }), undefined)).toEqual([]);
  });
});

describe('K8S TestValidateHostUsers', () => {
  it.each([
    ['empty', {}, true],
    ['hostUsers=false', { hostUsers: false }, true],
    ['hostUsers=true', { hostUsers: true }, true],
    ['hostUsers=false & HostNetwork', { hostUsers: false, hostNetwork: true }, false],
    ['hostUsers=false & HostPID', { hostUsers: false, hostPID: true }, false],
    ['hostUsers=false & HostIPC', { hostUsers: false, hostIPC: true }, false],
  ])('%s', (_name, extra, success) => {
    expect(validatePodSpec(spec([{}], extra), undefined).length === 0).toBe(success);
  });
});

describe('K8S TestValidateWindowsHostProcessPod (allowPrivileged: true)', () => {
  const hp = (v: boolean) => ({ securityContext: { windowsOptions: { hostProcess: v } } });
  const podHP = (v: boolean, hostNetwork = true) => ({ hostNetwork, securityContext: { windowsOptions: { hostProcess: v } } });
  it.each([
    ['pod-wide HostProcess=true, and HostNetwork unset should not validate', [{}], [], podHP(true, false), true],
    ['pod-wide HostProcess=true, and HostNetwork set should validate', [{}], [], podHP(true), false],
    ['pod-wide HostProcess=true, HostNetwork set, and containers setting HostProcess=true should validate', [hp(true)], [hp(true)], podHP(true), false],
    [
      'pod-wide HostProcess=nil, HostNetwork set, and all containers setting HostProcess=true should validate',
      [hp(true)],
      [hp(true)],
      { hostNetwork: true },
      false,
    ],
    [
      'some containers setting HostProcess=true, and others setting HostProcess=false should not validate',
      [hp(true)],
      [hp(false)],
      { hostNetwork: true },
      true,
    ],
    ['some containers setting HostProcess=true, and other leaving HostProcess unset should not validate', [hp(true)], [{}], { hostNetwork: true }, true],
    ['pod-wide HostProcess=true, some containers true, init containers false should not validate', [hp(true)], [hp(false)], podHP(true), true],
    ['pod-wide HostProcess=true, some containers true, others false should not validate', [hp(true), hp(false)], [], podHP(true), true],
    ['pod-wide HostProcess=true, some containers true, others nil should validate', [hp(true)], [{}], podHP(true), false],
    ['pod-wide HostProcess=false, some containers setting HostProccess=true should not validate', [hp(true)], [{}], podHP(false), true],
    ["Pod's HostProcess set to true but all containers override to false should not validate", [hp(false)], [], podHP(true), true],
  ])('%s', (_name, containers, initContainers, extra, expectError) => {
    const s = { ...spec(containers, extra), initContainers: initContainers.map((c, i) => ({ name: `i${i}`, image: 'x', ...c })) };
    expect(validatePodSpec(s, undefined).length > 0).toBe(expectError);
  });
});

describe('K8S TestIsValidSysctlName and TestValidateSysctls', () => {
  it.each(['a.b.c.d', 'a', 'a_b', 'a-b', 'abc', 'abc.def', 'a/b/c/d', 'a/b.c'])('valid: %s', (s) => {
    expect(isValidSysctlName(s)).toBe(true);
  });
  it.each([
    '',
    '*',
    'ä',
    'a_',
    '_',
    '__',
    '_a',
    '_a._b',
    '-',
    '.',
    'a.',
    '.a',
    'a.b.',
    'a*.b',
    'a*b',
    '*a',
    'a.*',
    'abc*',
    'Abc',
    '/',
    '/a',
    'a/b/*',
    'a'.repeat(256),
  ])('invalid: %j', (s) => {
    expect(isValidSysctlName(s)).toBe(false);
  });

  const sysctls = (names: string[], extra: Obj = {}) => spec([{}], { ...extra, securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) } });
  it('valid, invalid, duplicate, with hostNetwork, with hostIPC', () => {
    expect(
      validatePodSpec(sysctls(['net.foo.bar', 'kernel.shmmax', 'net.ipv4.conf.enp3s0/200.forwarding', 'net/ipv4/conf/enp3s0.200/forwarding']), undefined),
    ).toEqual([]);
    expect(validatePodSpec(sysctls(['i..nvalid', '_invalid']), undefined)).toHaveLength(2);
    expect(validatePodSpec(sysctls(['kernel.shmmax', 'kernel.shmmax']), undefined).map((e) => e.message)).toEqual(['Duplicate value: "kernel.shmmax"']);
    expect(
      validatePodSpec(sysctls(['net.ipv4.conf.enp3s0/200.forwarding', 'net/ipv4/conf/enp3s0.200/forwarding'], { hostNetwork: true }), undefined),
    ).toHaveLength(2);
    expect(validatePodSpec(sysctls(['kernel.shmmax', 'kernel.msgmax'], { hostIPC: true }), undefined)).toHaveLength(2);
  });
});

describe('K8S TestValidateLinuxSecurityContext', () => {
  it('refuses windowsOptions on a linux pod', () => {
    const s = spec([{ securityContext: { windowsOptions: { runAsUserName: 'myUser' } } }], { os: { name: 'linux' } });
    expect(brief(validatePodSpec(s, undefined))).toEqual([
      'containers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
    ]);
  });
});

describe('profile fields (validateSeccompProfileField, ValidateAppArmorProfileField)', () => {
  it.each([
    [
      { seccompProfile: { type: 'Localhost' } },
      'containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
    ],
    [{ seccompProfile: {} }, 'containers[0].securityContext.seccompProfile.type: Required value: type is required when seccompProfile is set'],
    [
      { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } },
      'containers[0].securityContext.seccompProfile.localhostProfile: Invalid value: can only be set when seccomp type is Localhost',
    ],
    [
      { seccompProfile: { type: 'Localhost', localhostProfile: '../x' } },
      "containers[0].securityContext.seccompProfile.localhostProfile: Invalid value: must not contain '..'",
    ],
    [
      { appArmorProfile: { type: 'Localhost', localhostProfile: ' x' } },
      'containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: must not be padded with whitespace',
    ],
    [
      { appArmorProfile: { type: 'runtime/default' } },
      'containers[0].securityContext.appArmorProfile.type: Unsupported value: "runtime/default": supported values: "Localhost", "RuntimeDefault", "Unconfined"',
    ],
  ])('%j', (sc, expected) => {
    expect(brief(validatePodSpec(spec([{ securityContext: sc }]), undefined))).toEqual([expected]);
  });
});

describe('kubeletRejects (kuberuntime verifyRunAsNonRoot)', () => {
  it('refuses runAsNonRoot with runAsUser 0, the container overriding the pod', () => {
    const s = spec([{}, { securityContext: { runAsUser: 1000 } }, { securityContext: { runAsNonRoot: false } }], {
      securityContext: { runAsNonRoot: true, runAsUser: 0 },
    });
    expect(validatePodSpec(s, undefined)).toEqual([]);
    expect(kubeletRejects(s)).toEqual([
      {
        path: ['securityContext', 'runAsUser'],
        field: 'securityContext.runAsUser',
        message: "Forbidden: container's runAsUser breaks non-root policy (container: c0)",
        source: 'verifyRunAsNonRoot',
      },
    ]);
    expect(kubeletRejects(spec([{ securityContext: { runAsNonRoot: true, runAsUser: 0 } }])).map((e) => e.field)).toEqual([
      'containers[0].securityContext.runAsUser',
    ]);
  });

  it('refuses ContainerAdministrator on a Windows pod that must not run as root', () => {
    const s = spec([{ securityContext: { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerAdministrator' } } }], { os: { name: 'windows' } });
    expect(kubeletRejects(s).map((e) => e.field)).toEqual(['containers[0].securityContext.windowsOptions.runAsUserName']);
  });
});

describe('validatePolicyRule', () => {
  it.each([
    ['RBAC TestValidateRoleNonResourceURL', { verbs: ['get'], nonResourceURLs: ['/*'] }, false, []],
    ['RBAC TestValidateRoleNamespacedNonResourceURL', { verbs: ['get'], nonResourceURLs: ['/*'] }, true, ['nonResourceURLs']],
    ['RBAC TestValidateRoleNonResourceURLNoVerbs', { verbs: [], nonResourceURLs: ['/*'] }, false, ['verbs']],
    [
      'RBAC TestValidateRoleMixedNonResourceAndResource',
      { verbs: ['get'], nonResourceURLs: ['/*'], apiGroups: ['v1'], resources: ['pods'] },
      true,
      ['nonResourceURLs', 'nonResourceURLs'],
    ],
    ['RBAC TestValidateRoleValidResource', { verbs: ['get'], apiGroups: ['v1'], resources: ['pods'] }, true, []],
    ['RBAC TestValidateRoleNoAPIGroup', { verbs: ['get'], resources: ['pods'] }, true, ['apiGroups']],
    ['RBAC TestValidateRoleNoResources', { verbs: ['get'], apiGroups: ['v1'] }, true, ['resources']],
    ['core group counts as a group', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, true, []],
    [
      'resourceNames over several resources (no longer refused)',
      { verbs: ['get'], apiGroups: [''], resources: ['pods', 'secrets'], resourceNames: ['a'] },
      true,
      [],
    ],
    ['all verbs removed by a fix', { verbs: [], apiGroups: [''], resources: ['pods'] }, false, ['verbs']],
  ])('%s', (_name, rule, namespaced, fields) => {
    const errs = validatePolicyRule(rule, namespaced);
    expect(errs.map((e) => e.field)).toEqual(fields);
    for (const e of errs) expect(e.source).toBe('ValidatePolicyRule');
  });
});

describe('untrusted input', () => {
  it('never throws, whatever the shapes', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (s, m) => {
        validatePodSpec(s as Obj, m as Obj, { kind: 'Pod' });
        kubeletRejects(s as Obj);
        validatePolicyRule(s as Obj, true);
      }),
      { numRuns: 300 },
    );
    const odd = { containers: ['x', null, { securityContext: 'x', volumeMounts: [null, 1] }], volumes: 'x', securityContext: { sysctls: [null] }, os: 'linux' };
    expect(() => validatePodSpec(odd, { annotations: 'x' })).not.toThrow();
  });
});
