import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/scan-corpus.js';
import type { FixOp } from '../../src/core/types.js';
import { scan } from '../../src/engine/scan.js';
import { composeEdits, type PlannedEdit, planEdit } from '../../src/yaml/edit.js';
import type { ParsedFile } from '../../src/yaml/parse.js';
import { parseYamlFile } from '../../src/yaml/parse.js';

const y = (s: TemplateStringsArray): string => s.raw.join('').replace(/^\n/, '');

const plan = (file: ParsedFile, ops: FixOp[]): PlannedEdit | undefined => {
  const doc = file.docs[0];
  if (!doc) throw new Error('no document');
  return planEdit(file, doc.root, doc.value, ops);
};

const DEPLOYMENT = y`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        resources:
          requests: {cpu: 10m}
      serviceAccountName: web
`;

const POD = ['spec', 'template', 'spec'];
const CONTAINER = [...POD, 'containers', 0];
const containerOps: FixOp[] = [
  { op: 'set', path: [...CONTAINER, 'securityContext', 'allowPrivilegeEscalation'], value: false },
  { op: 'set', path: [...CONTAINER, 'securityContext', 'capabilities', 'drop'], value: ['ALL'] },
];
const podOps: FixOp[] = [{ op: 'set', path: [...POD, 'securityContext', 'runAsNonRoot'], value: true }];

describe('composeEdits', () => {
  it('merges two plans that add keys to different mappings as planning all their ops gives', () => {
    const file = parseYamlFile('t.yaml', DEPLOYMENT);
    const a = plan(file, containerOps) as PlannedEdit;
    const b = plan(file, [{ op: 'set', path: [...POD, 'automountServiceAccountToken'], value: false }]) as PlannedEdit;
    const ops = [...a.ops, ...b.ops];
    const both = composeEdits(file, a, b, ops);
    expect(both).toBeDefined();
    expect(both?.edit).toEqual(plan(file, ops)?.edit);
    expect(both?.ops).toBe(ops);
    // In the order the merged plan writes them: the deeper insertion first, then a's before b's.
    const ba = composeEdits(file, b, a, [...b.ops, ...a.ops]);
    expect(ba?.edit).toEqual(plan(file, [...b.ops, ...a.ops])?.edit);
  });

  it('leaves plans that add to the same mapping, or replace a value, to be planned again', () => {
    const file = parseYamlFile('t.yaml', DEPLOYMENT);
    const a = plan(file, podOps) as PlannedEdit;
    const b = plan(file, [{ op: 'set', path: [...POD, 'automountServiceAccountToken'], value: false }]) as PlannedEdit;
    // Both add to the pod spec: one block of new keys, not two.
    expect(composeEdits(file, a, b, [...a.ops, ...b.ops])).toBeUndefined();
    const replace = plan(file, [{ op: 'set', path: [...POD, 'serviceAccountName'], value: 'other' }]) as PlannedEdit;
    expect(replace.parts).toBeUndefined();
    expect(composeEdits(file, plan(file, containerOps) as PlannedEdit, replace, [...containerOps, ...replace.ops])).toBeUndefined();
  });

  it('gives planEdit of both ops for every pair of fixable findings of a document in the bench corpus', () => {
    let composed = 0;
    let compared = 0;
    for (const f of generateCorpus(300)) {
      const out = scan([f], { profile: 'pss-restricted' });
      const parsed = out.files.get(f.path)?.parsed;
      if (!parsed) continue;
      const byDoc = new Map<number, FixOp[][]>();
      for (const finding of out.findings) {
        const d = finding.resource?.docIndex;
        if (d === undefined || !finding.fix) continue;
        byDoc.set(d, [...(byDoc.get(d) ?? []), finding.fix.ops]);
      }
      for (const [d, opsList] of byDoc) {
        const doc = parsed.docs[d];
        if (!doc) continue;
        const planOf = (ops: FixOp[]): PlannedEdit | undefined => {
          try {
            return planEdit(parsed, doc.root, doc.value, ops);
          } catch {
            return undefined;
          }
        };
        for (let i = 0; i + 1 < opsList.length; i++) {
          const a = planOf(opsList[i] as FixOp[]);
          const b = planOf(opsList[i + 1] as FixOp[]);
          if (!a || !b) continue;
          const ops = [...a.ops, ...b.ops];
          const both = composeEdits(parsed, a, b, ops);
          compared++;
          if (!both) continue;
          composed++;
          expect(both.edit).toEqual(planOf(ops)?.edit);
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(composed).toBeGreaterThan(50);
  });
});
