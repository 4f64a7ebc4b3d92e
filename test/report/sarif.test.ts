import { describe, expect, it } from 'vitest';
import { ruleDocUrl } from '../../src/core/links.js';
import { artifactLocation, renderSarif, toSarif } from '../../src/report/sarif.js';
import yamlSyntax from '../../src/rules/yaml-syntax.js';
import { ruleset, sampleScan } from './report-fixture.js';

type Json = Record<string, unknown>;

/**
 * The parts of SARIF 2.1.0 that GitHub code scanning documents as required or checked on upload
 * ("SARIF support for code scanning"): returns every violation found, so a failure says what is wrong.
 */
function githubSarifProblems(log: Json): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  need(typeof log.$schema === 'string', '$schema is a string');
  need(log.version === '2.1.0', 'version is 2.1.0');
  need(Array.isArray(log.runs), 'runs is an array');
  for (const [ri, run] of ((log.runs as Json[]) ?? []).entries()) {
    const driver = ((run.tool as Json)?.driver ?? {}) as Json;
    need(typeof driver.name === 'string' && driver.name !== '', `runs[${ri}].tool.driver.name`);
    const rules = (driver.rules ?? []) as Json[];
    const ids = rules.map((r) => r.id);
    need(new Set(ids).size === ids.length, 'rule ids are unique');
    for (const r of rules) {
      need(typeof r.id === 'string' && r.id !== '', 'rule.id');
      const short = (r.shortDescription as Json)?.text;
      need(typeof short === 'string' && short.length > 0 && short.length <= 1024, `${r.id}: shortDescription.text (1..1024 chars)`);
      need(typeof (r.fullDescription as Json)?.text === 'string', `${r.id}: fullDescription.text`);
      need(typeof (r.help as Json)?.text === 'string' && typeof (r.help as Json)?.markdown === 'string', `${r.id}: help.text and help.markdown`);
      need(['error', 'warning', 'note', 'none'].includes((r.defaultConfiguration as Json)?.level as string), `${r.id}: defaultConfiguration.level`);
      const props = (r.properties ?? {}) as Json;
      const sev = props['security-severity'];
      need(
        typeof sev === 'string' && /^\d+(\.\d+)?$/.test(sev) && Number(sev) >= 0 && Number(sev) <= 10,
        `${r.id}: security-severity is a numeric string 0..10`,
      );
      need(Array.isArray(props.tags) && (props.tags as unknown[]).every((t) => typeof t === 'string'), `${r.id}: tags are strings`);
      need(['very-high', 'high', 'medium', 'low'].includes(props.precision as string), `${r.id}: precision`);
    }
    for (const [i, res] of ((run.results ?? []) as Json[]).entries()) {
      const where = `results[${i}]`;
      need(typeof (res.message as Json)?.text === 'string' && ((res.message as Json).text as string).length > 0, `${where}.message.text`);
      need(typeof res.ruleId === 'string', `${where}.ruleId`);
      need(res.ruleIndex === ids.indexOf(res.ruleId), `${where}.ruleIndex points at its rule`);
      need(['error', 'warning', 'note', 'none'].includes(res.level as string), `${where}.level`);
      const locs = (res.locations ?? []) as Json[];
      need(locs.length >= 1 && locs.length <= 10, `${where}: 1..10 locations`);
      for (const loc of locs) {
        const phys = loc.physicalLocation as Json;
        const art = phys?.artifactLocation as Json;
        const uri = art?.uri as string;
        need(typeof uri === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('/') && !uri.includes('\\'), `${where}: relative URI (${uri})`);
        need(art?.uriBaseId === '%SRCROOT%', `${where}: uriBaseId`);
        const region = phys?.region as Json;
        need(Number.isInteger(region?.startLine) && (region.startLine as number) >= 1, `${where}: startLine >= 1`);
        need(region?.startColumn === undefined || (Number.isInteger(region.startColumn) && (region.startColumn as number) >= 1), `${where}: startColumn >= 1`);
        need(region?.endLine === undefined || (region.endLine as number) >= (region.startLine as number), `${where}: endLine >= startLine`);
      }
      const fp = (res.partialFingerprints ?? {}) as Json;
      need(
        Object.values(fp).every((v) => typeof v === 'string'),
        `${where}: partialFingerprints are strings`,
      );
      for (const s of (res.suppressions ?? []) as Json[]) need(['inSource', 'external'].includes(s.kind as string), `${where}: suppression kind`);
    }
  }
  return problems;
}

describe('SARIF output', () => {
  const result = sampleScan();
  const log = JSON.parse(renderSarif(result, { toolVersion: '0.1.0', rules: [...ruleset, yamlSyntax] }));

  it('follows the SARIF rules that GitHub code scanning checks', () => {
    expect(githubSarifProblems(log)).toEqual([]);
  });

  it('the validator catches what GitHub would refuse', () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'file:///abs/x.yaml';
    broken.runs[0].tool.driver.rules[0].properties['security-severity'] = 'high';
    expect(githubSarifProblems(broken)).toEqual([
      'allow-privilege-escalation: security-severity is a numeric string 0..10',
      'results[0]: relative URI (file:///abs/x.yaml)',
      'results[0]: startLine >= 1',
    ]);
  });

  it('describes each rule with docs link, level, severity and its Pod Security control', () => {
    const driver = log.runs[0].tool.driver;
    expect([driver.name, driver.version, driver.informationUri]).toEqual(['minpriv', '0.1.0', 'https://github.com/minpriv/minpriv']);
    expect(driver.rules.map((r: Json) => r.id)).toEqual(['allow-privilege-escalation', 'privileged-container', 'yaml-syntax']);
    const priv = driver.rules[1];
    expect(priv).toMatchObject({
      id: 'privileged-container',
      name: 'PrivilegedContainer',
      shortDescription: { text: 'Privileged container' },
      helpUri: ruleDocUrl('privileged-container'),
      defaultConfiguration: { level: 'error' },
      properties: { precision: 'very-high', 'security-severity': '9.5', 'pss-control': 'privileged', 'pss-level': 'baseline' },
    });
    expect(priv.properties.tags).toEqual(['security', 'kubernetes', 'pod-security', 'pss-baseline']);
    expect(driver.rules[0].properties).toMatchObject({ 'security-severity': '5.5', 'pss-control': 'allowPrivilegeEscalation', 'pss-level': 'restricted' });
    expect(driver.rules[2].properties['pss-control']).toBeUndefined();
    expect(priv.help.markdown).toContain('Pod Security Standards: `baseline` level, control `privileged`.');
  });

  it('places each result at the offending key, or at the container where the field is missing', () => {
    const rows = log.runs[0].results.map((r: Json) => {
      const loc = (r.locations as Json[])[0]?.physicalLocation as Json;
      const region = loc.region as Json;
      return [r.ruleId, r.ruleIndex, r.level, (loc.artifactLocation as Json).uri, region.startLine, region.startColumn];
    });
    expect(rows).toEqual([
      ['allow-privilege-escalation', 0, 'warning', 'apps/web/deployment.yaml', 12, 9],
      ['privileged-container', 1, 'error', 'apps/web/deployment.yaml', 13, 11],
      ['allow-privilege-escalation', 0, 'warning', 'apps/agent%20dir/pod.yaml', 10, 5],
    ]);
    expect(log.runs[0].results[1].message.text).toBe('Deployment shop/web: container `web` sets `securityContext.privileged: true`');
  });

  it('fingerprints each result and keeps suppressed findings as suppressed results', () => {
    const results = log.runs[0].results;
    expect(results[1].partialFingerprints).toEqual({ 'minpriv/v1': result.findings[1]?.fingerprint });
    expect(results[0].suppressions).toBeUndefined();
    expect(results[2].suppressions).toEqual([{ kind: 'inSource', justification: 'legacy agent, tracked in OPS-12' }]);
  });

  it('reports notices as tool notifications', () => {
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toHaveLength(1);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.region.startLine).toBe(4);
  });

  it('adds rules that only findings name (external scanners) so every ruleIndex resolves', () => {
    const base = sampleScan();
    const external = {
      ...(base.findings[0] as (typeof base.findings)[0]),
      ruleId: 'KSV-0001',
      title: 'Process can elevate its own privileges',
      sources: ['trivy'],
    };
    const out = toSarif({ ...base, findings: [...base.findings, external] }, { toolVersion: '0.1.0', rules: ruleset });
    expect(out.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(['KSV-0001', 'allow-privilege-escalation', 'privileged-container']);
    expect(githubSarifProblems(out as unknown as Json)).toEqual([]);
  });

  it('keeps within the results GitHub accepts per run: most severe first, then says how many were left out', () => {
    const out = toSarif(sampleScan(), { toolVersion: '0.1.0', rules: ruleset, maxResults: 2 });
    expect(out.runs[0]?.results.map((r) => [r.ruleId, r.level, r.suppressions === undefined])).toEqual([
      ['privileged-container', 'error', true],
      ['allow-privilege-escalation', 'warning', true],
    ]);
    const notes = out.runs[0]?.invocations[0]?.toolExecutionNotifications as { message: { text: string } }[];
    expect(notes.at(-1)?.message.text).toBe('1 more results not included: GitHub code scanning accepts at most 2 results per run (the most severe are kept)');
    expect(githubSarifProblems(out as unknown as Json)).toEqual([]);
  });
});

describe('artifactLocation', () => {
  it('relative inside the root, an absolute file:// URI outside it', () => {
    expect(artifactLocation('apps/a b.yaml', '/repo')).toEqual({ uri: 'apps/a%20b.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/tmp/qa/p 8.yaml', '/repo')).toEqual({ uri: 'file:///tmp/qa/p%208.yaml' });
    expect(artifactLocation('../../tmp/x.yaml', '/work/main')).toEqual({ uri: 'file:///tmp/x.yaml' });
    expect(artifactLocation('C:/repo/x.yaml')).toEqual({ uri: 'file:///C:/repo/x.yaml' });
    // Without a root a climbing path cannot be resolved: it stays relative, as before.
    expect(artifactLocation('../x.yaml')).toEqual({ uri: '../x.yaml', uriBaseId: '%SRCROOT%' });
  });
});
