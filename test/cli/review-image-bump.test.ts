import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { scan } from '../../src/engine/scan.js';
import { applySuggestions } from '../github/suggest.js';
import { TempRepo } from '../sources/git-repo.js';

// QA2 #8: the most common GitOps PR bumps `image:` in a Deployment without any securityContext.
const deployment = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:${tag}
          ports:
            - containerPort: 8080
          resources:
            limits:
              memory: 128Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
`;

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

async function review(cwd: string) {
  let out = '';
  const code = await runCli(['review', '--base', 'main', '--format', 'json'], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => {} },
    stdin: process.stdin,
    cwd,
    env: {},
  });
  return { code, json: JSON.parse(out) };
}

describe('minpriv review --base, an image bump in a Deployment without securityContext', () => {
  it('by default answers only for what the bump introduced: nothing; the findings are listed as already present', async () => {
    repo = new TempRepo();
    repo.write('apps/web.yaml', deployment('1.25.2'));
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('apps/web.yaml', deployment('1.25.3'));
    repo.commit('bump nginx');
    const { code, json } = await review(repo.dir);
    expect(code).toBe(0);
    expect([json.conclusion, json.title, json.comments]).toEqual(['success', '0 new, 4 already present: 4 medium · 2 verified fixes', []]);
    expect(json.findings.every((f: { new: boolean }) => !f.new)).toBe(true);
  });

  it('with failOnExisting: true, suggests the container securityContext right after the changed image line, inside the hunk', async () => {
    repo = new TempRepo();
    repo.write('apps/web.yaml', deployment('1.25.2'));
    repo.write('.github/minpriv.yml', 'failOnExisting: true\n');
    repo.commit('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('apps/web.yaml', deployment('1.25.3'));
    repo.commit('bump nginx');

    const { code, json } = await review(repo.dir);
    expect(code).toBe(1);
    expect(json.title).toBe('0 new, 4 already present: 4 medium · 2 verified fixes');
    expect(json.comments).toHaveLength(1);
    const [comment] = json.comments;
    expect(comment.path).toBe('apps/web.yaml');
    expect(comment.line).toBe(17);
    expect(comment.start_line).toBeUndefined();
    expect(comment.body).toContain(
      [
        '```suggestion',
        '          image: nginx:1.25.3',
        '          securityContext:',
        '            allowPrivilegeEscalation: false',
        '            capabilities:',
        '              drop:',
        '                - ALL',
        '```',
      ].join('\n'),
    );

    const fixed = applySuggestions(deployment('1.25.3'), json.comments);
    const after = scan([{ path: 'apps/web.yaml', content: fixed }], { profile: 'pss-restricted' });
    expect(after.files.get('apps/web.yaml')?.parsed?.error).toBeUndefined();
    // The pod-level fix (runAsNonRoot, seccompProfile) goes after `containers`, the last pod spec entry: summary only.
    expect(after.findings.map((f) => f.ruleId).sort()).toEqual(['run-as-non-root', 'seccomp-profile-required']);
    expect(fixed.split('\n').slice(16, 23)).toEqual([
      '          image: nginx:1.25.3',
      '          securityContext:',
      '            allowPrivilegeEscalation: false',
      '            capabilities:',
      '              drop:',
      '                - ALL',
      '          ports:',
    ]);
  });
});
