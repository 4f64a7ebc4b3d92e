import { defineRule } from '../core/rule.js';

/** Reported by the engine itself when a file does not parse or breaks a limit. */
export default defineRule({
  id: 'yaml-syntax',
  meta: {
    title: 'File is not valid YAML',
    description: 'The file does not parse as YAML, is not UTF-8 text, or breaks a safety limit (size, nesting depth, aliases).',
    rationale: 'A manifest that cannot be read cannot be checked, and Kubernetes would reject it; a security gate must not pass it silently.',
    remediation: 'Fix the YAML at the reported line (indentation, quoting, duplicate keys), or split a file over the size limit.',
    severity: 'high',
    category: 'syntax',
    standards: {},
    fixable: false,
  },
});
