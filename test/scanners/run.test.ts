import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinary, runScanner, safeRelativePath, scannerVersion } from '../../src/scanners/run.js';

const FIX = path.join(import.meta.dirname, '../fixtures/scanners');
let root: string;
let bin: string;
let log: string;

/**
 * A fake tool: a node script that logs its argv, cwd, environment and the files it sees to `log`, then runs `body`.
 * Written as CommonJS (no package.json above the temp dir).
 */
function fake(name: string, body: string): void {
  const script = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const files = [];
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); e.isDirectory() ? walk(p) : files.push(path.relative(process.cwd(), p)); } };
walk(process.cwd());
fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), files: files.sort(),
  content: files.length ? fs.readFileSync(files.sort()[0], 'utf8') : null, env: { DATREE_OFFLINE: process.env.DATREE_OFFLINE, KS_SKIP_UPDATE_CHECK: process.env.KS_SKIP_UPDATE_CHECK } }));
${body}
`;
  const p = path.join(bin, name);
  writeFileSync(p, script);
  chmodSync(p, 0o755);
}

const printSample = (rel: string, code: number) =>
  `process.stdout.write(fs.readFileSync(${JSON.stringify(path.join(FIX, rel))}, 'utf8')); process.exit(${code});`;
const env = () => ({ PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
const logged = () => JSON.parse(readFileSync(log, 'utf8'));

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'minpriv-fake-tools-'));
  bin = path.join(root, 'bin');
  mkdirSync(bin);
  log = path.join(root, 'log.json');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runScanner', () => {
  it('runs trivy in a private temp dir holding the files under their repository paths, parses, and removes the dir', async () => {
    fake('trivy', printSample('trivy/helm_testchart.json.golden', 0));
    const run = await runScanner('trivy', [{ path: 'charts/testchart/templates/deployment.yaml', content: 'kind: Deployment\n' }], {
      timeoutMs: 10_000,
      env: env(),
    });
    expect(run.error).toBeUndefined();
    expect(run.version).toBe('dev');
    expect(run.results.map((r) => [r.normalizedId, r.file, r.line])).toEqual([
      ['KSV-0001', 'charts/testchart/templates/deployment.yaml', 28],
      ['KSV-0030', 'charts/testchart/templates/deployment.yaml', 28],
      ['KSV-0104', 'charts/testchart/templates/deployment.yaml', 28],
      ['KSV-0110', 'charts/testchart/templates/deployment.yaml', 4],
      ['KSV-0117', 'charts/testchart/templates/deployment.yaml', undefined],
      ['KSV-0118', 'charts/testchart/templates/deployment.yaml', 23],
    ]);
    const seen = logged();
    expect(seen.argv).toEqual([
      'config',
      '--format',
      'json',
      '--quiet',
      '--skip-check-update',
      '--skip-version-check',
      '--disable-telemetry',
      '--misconfig-scanners',
      'kubernetes',
      '.',
    ]);
    expect(seen.files).toEqual(['charts/testchart/templates/deployment.yaml']);
    expect(seen.content).toBe('kind: Deployment\n');
    expect(path.basename(seen.cwd)).toMatch(/^minpriv-scan-/);
    expect(existsSync(seen.cwd)).toBe(false);
  });

  it('accepts kube-linter exit code 1 ("found N lint errors") with a JSON result', async () => {
    fake('kube-linter', printSample('kube-linter/run-as-non-root.constructed.json', 1));
    const files = [
      { path: 'tests/checks/run-as-non-root.yml', content: readFileSync(path.join(FIX, 'kube-linter/run-as-non-root.yml'), 'utf8') },
      { path: 'other.yaml', content: '' },
    ];
    const run = await runScanner('kube-linter', files, { timeoutMs: 10_000, env: env(), args: ['--config', '/etc/kl.yaml'] });
    expect(run.error).toBeUndefined();
    expect(run.version).toBe('0.8.3');
    expect(run.results.map((r) => [r.file, r.resource?.name, r.container])).toEqual([
      ['tests/checks/run-as-non-root.yml', 'app1', 'app'],
      ['tests/checks/run-as-non-root.yml', 'app2', 'app2'],
      ['tests/checks/run-as-non-root.yml', 'group-zero', 'app3'],
      ['tests/checks/run-as-non-root.yml', 'group-zero', 'app4'],
    ]);
    expect(logged().argv).toEqual(['lint', '--format', 'json', '--config', '/etc/kl.yaml', './tests/checks/run-as-non-root.yml', './other.yaml']);
  });

  it('accepts datree exit code 2 (violations found) and runs it in offline mode', async () => {
    fake('datree', printSample('datree/json_output.json', 2));
    const run = await runScanner('datree', [{ path: 'deploy/File1', content: 'x' }], { timeoutMs: 10_000, env: env() });
    expect(run.error).toBeUndefined();
    expect(run.results.map((r) => [r.file, r.toolId, r.line])).toEqual([
      ['deploy/File1', 'CONTAINERS_MISSING_IMAGE_VALUE_VERSION', 10],
      ['deploy/File1', 'CONTAINERS_MISSING_MEMORY_LIMIT_KEY', 95],
      ['deploy/File1', 'WORKLOAD_INVALID_LABELS_VALUE', 7],
      ['deploy/File1', 'CONTAINERS_MISSING_LIVENESSPROBE_KEY', 22],
    ]);
    expect(logged().env).toEqual({ DATREE_OFFLINE: 'local', KS_SKIP_UPDATE_CHECK: undefined });
  });

  it('maps kubescape source paths (root + relativePath) back to the repository', async () => {
    const fragment = path.join(FIX, 'kubescape/allResourcesResults.failed.json');
    fake(
      'kubescape',
      `const r = Object.values(JSON.parse(fs.readFileSync(${JSON.stringify(fragment)}, 'utf8')))[1];
process.stdout.write(JSON.stringify({ results: [r], resources: [{ resourceID: r.resourceID, source: { path: process.cwd(), relativePath: 'apps/nginx.yaml' } }] }));`,
    );
    const run = await runScanner('kubescape', [{ path: 'apps/nginx.yaml', content: 'kind: Pod\n' }], { timeoutMs: 10_000, env: env() });
    expect(run.error).toBeUndefined();
    expect(run.results.map((r) => [r.file, r.toolId, r.resource?.name, r.path])).toEqual([
      ['apps/nginx.yaml', 'C-0057', 'nginx', 'spec.containers[0].securityContext.privileged'],
    ]);
    expect(logged().env.KS_SKIP_UPDATE_CHECK).toBe('true');
  });

  it('stops a tool that runs past the timeout: error timeout', async () => {
    fake('trivy', 'setTimeout(() => {}, 20_000);');
    const run = await runScanner('trivy', [{ path: 'a.yaml', content: '' }], { timeoutMs: 500, env: env() });
    expect(run).toEqual({ tool: 'trivy', results: [], notices: [], error: { code: 'timeout', message: 'trivy timed out after 500 ms' } });
  });

  it('reports an undocumented exit code with its stderr: error crashed', async () => {
    fake('trivy', "process.stderr.write('FATAL config scan error: boom\\n'); process.exit(2);");
    const run = await runScanner('trivy', [{ path: 'a.yaml', content: '' }], { timeoutMs: 10_000, env: env() });
    expect(run.error).toEqual({ code: 'crashed', message: 'trivy exited with code 2: FATAL config scan error: boom' });
  });

  it('treats kube-linter exit 1 with nothing on stdout as a crash, not as findings', async () => {
    fake('kube-linter', "process.stderr.write('Error: failed to load config\\n'); process.exit(1);");
    const run = await runScanner('kube-linter', [{ path: 'a.yaml', content: '' }], { timeoutMs: 10_000, env: env() });
    expect(run.error).toEqual({ code: 'crashed', message: 'kube-linter exited with code 1: Error: failed to load config' });
  });

  it('reports unreadable output of a successful run: error bad-output', async () => {
    fake('trivy', "process.stdout.write('this is a table, not JSON\\n');");
    const run = await runScanner('trivy', [{ path: 'a.yaml', content: '' }], { timeoutMs: 10_000, env: env() });
    expect(run.error?.code).toBe('bad-output');
  });

  it('skips a tool that is not on PATH: error not-installed', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    const run = await runScanner('kube-linter', [{ path: 'a.yaml', content: '' }], { timeoutMs: 1000, env: { PATH: empty } });
    expect(run).toEqual({ tool: 'kube-linter', results: [], notices: [], error: { code: 'not-installed', message: 'kube-linter not installed: skipped' } });
    const configured = await runScanner('trivy', [], { timeoutMs: 1000, binary: path.join(empty, 'trivy') });
    expect(configured.error).toEqual({ code: 'not-installed', message: 'trivy not installed: skipped' });
  });

  it('never writes a file outside the temp dir', async () => {
    fake('trivy', printSample('trivy/helm_badname.json.golden', 0));
    const run = await runScanner(
      'trivy',
      [
        { path: '../escape.yaml', content: 'x' },
        { path: '/etc/abs.yaml', content: 'x' },
        { path: 'ok.yaml', content: 'y' },
      ],
      { timeoutMs: 10_000, env: env() },
    );
    expect(run.error).toBeUndefined();
    expect(run.notices).toEqual([
      { kind: 'scanner', message: 'not passed to the scanner (unsafe path): "../escape.yaml"' },
      { kind: 'scanner', message: 'not passed to the scanner (unsafe path): "/etc/abs.yaml"' },
    ]);
    expect(logged().files).toEqual(['ok.yaml']);
  });
});

describe('scannerVersion', () => {
  it('runs the offline version command', async () => {
    fake('trivy', 'process.stdout.write(JSON.stringify({ Version: "0.74.0" }) + "\\n");');
    expect(await scannerVersion('trivy', { timeoutMs: 10_000, env: env() })).toBe('0.74.0');
    expect(logged().argv).toEqual(['version', '--format', 'json']);
  });

  it('does not run datree (its version command calls the network)', async () => {
    fake('datree', "process.stdout.write('1.9.19\\n');");
    writeFileSync(log, '{}');
    expect(await scannerVersion('datree', { timeoutMs: 10_000, env: env() })).toBeUndefined();
    expect(logged()).toEqual({});
  });
});

describe('helpers', () => {
  it('safeRelativePath accepts plain relative paths only', () => {
    expect(['a.yaml', 'apps/web/deploy.yaml', 'a\\b.yaml'].map(safeRelativePath)).toEqual(['a.yaml', 'apps/web/deploy.yaml', 'a/b.yaml']);
    expect(['', '/etc/x', '../x', 'a/../../x', 'a//b', './a', 'C:/x', 'a\0b'].map(safeRelativePath)).toEqual(Array(8).fill(undefined));
  });

  it('findBinary looks on PATH and checks the execute bit', async () => {
    fake('kube-linter', '');
    writeFileSync(path.join(bin, 'not-executable'), '');
    expect(await findBinary('kube-linter', bin)).toBe(path.join(bin, 'kube-linter'));
    expect(await findBinary('not-executable', bin)).toBeUndefined();
    expect(await findBinary(path.join(bin, 'kube-linter'), '')).toBe(path.join(bin, 'kube-linter'));
  });
});
