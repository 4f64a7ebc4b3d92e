import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import rule from '../../src/rules/seccomp-profile-required.js';
import { ruleTester, yaml } from './tester.js';

const UNSET = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
  spec:
    template:
      spec:
        initContainers:
          - name: migrate
            image: ghcr.io/acme/api:2.0.1
        containers:
          - name: api
            image: ghcr.io/acme/api:2.0.1
          - name: proxy
            image: envoyproxy/envoy:v1.30.2
            securityContext:
              seccompProfile:
                type: RuntimeDefault
`;

const WINDOWS = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: iis
  spec:
    os:
      name: windows
    containers:
      - name: iis
        image: iis:2022
`;

ruleTester(rule, {
  valid: [
    {
      name: 'pod level covers containers that set none',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            seccompProfile:
              type: Localhost
              localhostProfile: profiles/web.json
          containers:
            - name: app
              image: nginx:1.27
      `,
    },
    { name: 'a Windows pod is exempt from 1.25', code: WINDOWS },
    { name: 'the control starts at 1.19', code: UNSET, version: '1.18' },
  ],
  invalid: [
    {
      name: 'unset: one finding at the pod, naming the containers without a profile',
      code: UNSET,
      errors: [
        {
          ruleId: 'seccomp-profile-required',
          line: 7,
          column: 5,
          message: 'pod does not set `securityContext.seccompProfile.type`, and neither do container `api`, init container `migrate`',
          fix: {
            confidence: 'safe',
            title: 'set pod `seccompProfile.type: RuntimeDefault`',
            ops: [{ op: 'set', path: ['spec', 'template', 'spec', 'securityContext', 'seccompProfile', 'type'], value: 'RuntimeDefault' }],
          },
        },
      ],
    },
    { name: 'a Windows pod is not exempt before 1.25', code: WINDOWS, version: '1.24', errors: [{ ruleId: 'seccomp-profile-required', line: 5, column: 1 }] },
    {
      name: 'an explicit Unconfined is reported where it is, not as missing',
      code: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          securityContext:
            seccompProfile:
              type: Unconfined
          containers:
            - name: app
              image: nginx:1.27
              securityContext:
                seccompProfile: {}
      `,
      errors: [
        { ruleId: 'seccomp-profile-required', line: 8, column: 7, message: 'pod sets `securityContext.seccompProfile.type: Unconfined`' },
        { ruleId: 'seccomp-profile-required', line: 13, column: 9, message: 'container `app` sets a `securityContext.seccompProfile` without a type' },
      ],
    },
  ],
});

describe('title and messages of the rule agree (QA #10)', () => {
  it('the title reads right for a missing profile and for an explicit Unconfined one', () => {
    const unconfined = UNSET.replace('      initContainers:', '      securityContext:\n        seccompProfile: {type: Unconfined}\n      initContainers:');
    const found = [UNSET, unconfined].map((text) => scan([{ path: 'd.yaml', content: text }], { ruleset: [rule] }).findings.map((f) => [f.title, f.message]));
    expect(found).toEqual([
      [['Seccomp profile is missing, or not RuntimeDefault or Localhost', expect.stringMatching(/^pod does not set `securityContext.seccompProfile.type`/)]],
      [['Seccomp profile is missing, or not RuntimeDefault or Localhost', 'pod sets `securityContext.seccompProfile.type: Unconfined`']],
    ]);
  });
});
