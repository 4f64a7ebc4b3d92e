import { defineRule, forEachContainer } from '../core/rule.js';
import { isObj } from '../core/workload.js';
import { describe } from './helpers.js';

const SECRET_NAME = /password|passwd|secret|token|api[_-]?key|private[_-]?key|credential/i;
// Names that hold where a secret is, or a setting about it, not the secret itself.
const NOT_A_SECRET = /[_-](file|path|dir|name|ref|url|uri|endpoint|host|port|header|type|enabled|ttl|length|expiry)$/i;
const REFERENCE = /\$\([A-Za-z_][\w.-]*\)/;
const TOKENS: [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, 'a GitHub token'],
  [/\bxox[baprs]-[A-Za-z0-9-]+/, 'a Slack token'],
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, 'a private key'],
];

/** Why the value looks secret, never the value itself. */
function secretLooking(name: string, value: string): string | undefined {
  const token = TOKENS.find(([re]) => re.test(value));
  if (token) return `the value looks like ${token[1]}`;
  if (!SECRET_NAME.test(name) || NOT_A_SECRET.test(name) || REFERENCE.test(value)) return undefined;
  if (value.trim() === '' || /^(true|false|yes|no)$/i.test(value)) return undefined;
  return 'the name says it is a secret';
}

export default defineRule({
  id: 'env-secret-literal',
  meta: {
    title: 'Secret written as a literal environment variable',
    description:
      'A container `env[].value` must not hold a secret: a non-empty literal under a name like `*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*API_KEY*`, `*PRIVATE_KEY*` or `*CREDENTIAL*` (not `$(VAR)` references or names ending in `_FILE`, `_PATH`, `_URL`...), or any value that looks like an AWS, GitHub or Slack token or a private key.',
    rationale:
      'A literal in the manifest is in the Git history for good, readable by everyone with access to the repository, its forks and CI logs, and by anyone who can read the pod spec in the cluster.',
    remediation:
      'Move the value to a Secret (created outside Git, or encrypted with SOPS or Sealed Secrets) and read it with `valueFrom.secretKeyRef`; rotate the secret, since it is already in the history.',
    severity: 'high',
    category: 'secrets',
    standards: { kubeLinter: ['env-var-secret'], kubescape: ['C-0012'], polaris: ['sensitiveContainerEnvVar'] },
    fixable: false,
  },
  check: forEachContainer((c, ctx) => {
    const env = c.value.env;
    if (!Array.isArray(env)) return;
    env.forEach((e, i) => {
      if (!isObj(e) || typeof e.name !== 'string') return;
      const value = typeof e.value === 'string' ? e.value : typeof e.value === 'number' ? String(e.value) : undefined;
      const why = value === undefined ? undefined : secretLooking(e.name, value);
      if (!why) return;
      ctx.report({
        path: [...c.path, 'env', i, 'value'],
        container: c.name,
        message: `${describe(c)} sets env var \`${e.name}\` to a literal value, and ${why}: read it from a Secret with \`valueFrom.secretKeyRef\``,
      });
    });
  }),
});
