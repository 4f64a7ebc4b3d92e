import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/env-secret-literal.js';
import { findingsOf, ruleTester, yaml } from './tester.js';

// Built at run time so that secret scanners of the repository do not flag the test itself.
const GITHUB = `ghp_${'A1b2C3d4E5f6'.repeat(3)}`;
const SLACK = `xoxb-${'1234567890'}-${'abcdefghij'}`;
const KEY = ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA', '-----END OPENSSH PRIVATE KEY-----'].join('\\n');

const pod = (env: string) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
      - name: app
        image: ghcr.io/acme/web:1.4.2
        env:
${env}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'references, file paths, settings and empty values',
      code: pod(`          - { name: API_KEY, valueFrom: { secretKeyRef: { name: web, key: api-key } } }
          - { name: GIT_TOKEN_PATH, value: /var/run/secrets/git/token }
          - { name: TOKEN_URL, value: "https://auth.example.com/oauth/token" }
          - { name: CLIENT_SECRET, value: "$(OAUTH_CLIENT_SECRET)" }
          - { name: PASSWORD_ENABLED, value: "false" }
          - { name: DB_PASSWORD, value: "" }
          - { name: LOG_LEVEL, value: debug }`),
    },
  ],
  invalid: [
    {
      name: 'secret names, any case and separator',
      code: pod(`          - name: Stripe-Api-Key
            value: sk_live_placeholder
          - name: db_passwd
            value: "12345"
          - name: OAUTH_CREDENTIALS
            value: '{"client_id":"web"}'`),
      errors: [
        {
          ruleId: 'env-secret-literal',
          line: 11,
          column: 11,
          message:
            'container `app` sets env var `Stripe-Api-Key` to a literal value, and the name says it is a secret: read it from a Secret with `valueFrom.secretKeyRef`',
        },
        { ruleId: 'env-secret-literal', line: 13 },
        { ruleId: 'env-secret-literal', line: 15 },
      ],
    },
    {
      name: 'known token formats under harmless names',
      code: pod(`          - { name: GH, value: "${GITHUB}" }
          - { name: NOTIFY, value: "${SLACK}" }
          - { name: DEPLOY, value: "${KEY}" }`),
      errors: [
        {
          ruleId: 'env-secret-literal',
          line: 10,
          message:
            'container `app` sets env var `GH` to a literal value, and the value looks like a GitHub token: read it from a Secret with `valueFrom.secretKeyRef`',
        },
        {
          ruleId: 'env-secret-literal',
          line: 11,
          message:
            'container `app` sets env var `NOTIFY` to a literal value, and the value looks like a Slack token: read it from a Secret with `valueFrom.secretKeyRef`',
        },
        {
          ruleId: 'env-secret-literal',
          line: 12,
          message:
            'container `app` sets env var `DEPLOY` to a literal value, and the value looks like a private key: read it from a Secret with `valueFrom.secretKeyRef`',
        },
      ],
    },
  ],
});

describe('env-secret-literal never repeats the secret', () => {
  it('the literal value appears in no field of any finding', () => {
    const values = ['hunter2-very-secret', GITHUB, SLACK, 'AKIAIOSFODNN7EXAMPLE'];
    const code = pod(
      [`          - { name: DB_PASSWORD, value: ${values[0]} }`, ...values.slice(1).map((v, i) => `          - { name: V${i}, value: "${v}" }`)].join('\n'),
    );
    const findings = findingsOf(rule, code);
    expect(findings).toHaveLength(values.length);
    const text = JSON.stringify(findings);
    for (const v of values) expect(text).not.toContain(v);
  });
});
