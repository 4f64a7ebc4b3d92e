import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAIL_ON, runSettings } from '../../src/cli/settings.js';
import { parseConfig } from '../../src/engine/config.js';
import { hardenedPod, runScan, tempDir } from './scan-helpers.js';

// Issue 14: `--fail-on info` is accepted like `failOn: info` in .github/minpriv.yml, and means the same.
let dir: string;
let done: () => void;
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

beforeEach(() => {
  ({ dir, done } = tempDir());
});
afterEach(() => done());

describe('--fail-on info', () => {
  it('every severity the config accepts for failOn, the flag accepts too', () => {
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      expect(parseConfig({ failOn: severity }).ok).toBe(true);
      expect(FAIL_ON).toContain(severity);
      expect(runSettings({ 'fail-on': severity, 'no-config': true }, dir).failOn).toBe(severity);
    }
  });

  it('fails the scan on an info finding, where --fail-on low passes it; failOn: info in the config does the same', async () => {
    // A severity switches image-digest on: the hardened pod's only finding (a tag without a digest), at info.
    write('.github/minpriv.yml', 'rules:\n  image-digest: info\n');
    write('pod.yaml', hardenedPod('a'));
    const info = await runScan(['--fail-on', 'info', '--format', 'json', 'pod.yaml'], { cwd: dir });
    expect([info.code, info.stderr]).toEqual([1, '']);
    expect(JSON.parse(info.stdout).findings.map((f: { ruleId: string; severity: string }) => [f.ruleId, f.severity])).toEqual([['image-digest', 'info']]);
    expect((await runScan(['--fail-on', 'low', 'pod.yaml'], { cwd: dir })).code).toBe(0);

    write('.github/minpriv.yml', 'failOn: info\nrules:\n  image-digest: info\n');
    expect((await runScan(['pod.yaml'], { cwd: dir })).code).toBe(1);
  });
});
