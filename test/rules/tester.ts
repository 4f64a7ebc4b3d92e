import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/core/rule.js';
import type { Finding, FixIntent } from '../../src/core/types.js';
import { parseKubeVersion } from '../../src/core/version.js';
import { scan } from '../../src/engine/scan.js';

/** Literal YAML in a template: drops the first newline and the common indentation, like typescript-eslint's RuleTester cases. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n[ \t]*$/, '\n')
    .split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}

export interface ExpectedFinding {
  ruleId: string;
  line: number;
  column?: number;
  message?: string;
  /** The declared fix, written out literally (ops with full document paths). */
  fix?: FixIntent;
}

interface Case {
  name: string;
  code: string;
  /** PSS version to scan with ("1.30"); latest by default. */
  version?: string;
}

export interface RuleCases {
  valid: Case[];
  invalid: (Case & { errors: ExpectedFinding[] })[];
}

export function findingsOf(rule: Rule, code: string, version?: string): Finding[] {
  const pssVersion = version === undefined ? undefined : parseKubeVersion(version);
  if (version !== undefined && !pssVersion) throw new Error(`bad version ${version}`);
  const out = scan([{ path: 'case.yaml', content: code }], { ruleset: [rule], ...(pssVersion ? { pssVersion } : {}) });
  return out.findings;
}

/** One `describe` per rule: valid cases give no finding; invalid cases give exactly the listed ones, in order. */
export function ruleTester(rule: Rule, cases: RuleCases): void {
  describe(rule.id, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        expect(findingsOf(rule, c.code, c.version).map((f) => `${f.line}: ${f.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const got = findingsOf(rule, c.code, c.version);
        const shaped = got.map((f, i) => {
          const want = c.errors[i];
          const out: ExpectedFinding = { ruleId: f.ruleId, line: f.line };
          if (want?.column !== undefined) out.column = f.column;
          if (want?.message !== undefined) out.message = f.message;
          if (want?.fix !== undefined && f.fix) out.fix = f.fix;
          return out;
        });
        expect(shaped).toEqual(c.errors);
      });
    }
  });
}
