import { defineObjectRule } from '../core/rule.js';
import { isObj } from '../core/workload.js';
import { codeList, plural } from './helpers.js';

// Encrypted by SOPS, or a placeholder that Flux or envsubst fills in at deploy time.
const NOT_PLAIN = /^(ENC\[.*\]|\$\{[A-Za-z_]\w*\})$/s;

export default defineObjectRule({
  id: 'secret-in-manifest',
  appliesTo: { kinds: ['Secret'] },
  meta: {
    title: 'Secret committed in plain YAML',
    description: `A \`kind: Secret\` must not carry values in \`data\` or \`stringData\`, unless it is encrypted with SOPS (a top-level \`sops:\` key, or \`ENC[...]\` values) or the values are \`\${VAR}\` placeholders filled in at deploy time.`,
    rationale:
      '`data` is only base64, not encryption: every value is readable by everyone with access to the repository, its forks and clones, and stays in the Git history after it is removed.',
    remediation:
      'Encrypt the Secret with SOPS or replace it with a SealedSecret or an ExternalSecret that reads from a secret manager; rotate the values, since they are already in the history.',
    severity: 'high',
    category: 'secrets',
    standards: {},
    fixable: false,
  },
  check: (ctx) => {
    const value = ctx.object.value;
    if (Object.hasOwn(value, 'sops')) return;
    for (const field of ['data', 'stringData'] as const) {
      const map = value[field];
      if (!isObj(map)) continue;
      const keys = Object.keys(map).filter((k) => {
        const v = map[k];
        return v !== null && v !== undefined && v !== '' && !(typeof v === 'string' && NOT_PLAIN.test(v.trim()));
      });
      if (keys.length === 0) continue;
      const shown = keys.length > 5 ? `${codeList(keys.slice(0, 5))} and ${keys.length - 5} more` : codeList(keys);
      ctx.report({
        path: [field],
        message: `Secret \`${ctx.object.id.name}\` commits ${keys.length} ${plural(keys.length, 'value', 'values')} in plain \`${field}\` (${shown})`,
      });
    }
  },
});
