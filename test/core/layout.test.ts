import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layout README.md describes, checked on the sources: the engine stays pure (texts in, findings and
// fixes out), and only src/github/ and the Probot entry (src/app.ts) talk to GitHub.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(SRC).map((abs) => ({ path: relative(SRC, abs).split('\\').join('/'), text: readFileSync(abs, 'utf8') }));
const importsOf = (text: string): string[] => [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/g)].map((m) => m[1] as string);

/** Layers that read no files, start no process and call no service. */
const PURE = ['core', 'engine', 'yaml', 'k8s', 'rules', 'rbac', 'diff', 'review', 'report'];
/** What they may import besides each other. */
const PURE_PACKAGES = new Set(['diff', 'js-yaml', 'parse-diff', 'picomatch', 'zod', 'node:crypto', 'node:module', 'node:path']);

describe('layout', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === 'engine/scan.ts')).toBe(true);
  });

  it('the engine stays pure: the pure layers import each other and a few pure packages only', () => {
    const bad: string[] = [];
    for (const f of files) {
      const layer = f.path.split('/')[0] as string;
      if (!PURE.includes(layer)) continue;
      for (const spec of importsOf(f.text)) {
        if (spec.startsWith('.')) {
          const target = relative(SRC, join(SRC, f.path, '..', spec))
            .split('\\')
            .join('/')
            .split('/')[0] as string;
          if (!PURE.includes(target)) bad.push(`${f.path} imports ${spec}`);
        } else if (!PURE_PACKAGES.has(spec)) bad.push(`${f.path} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('only src/github/ and the Probot entry call GitHub or load its clients', () => {
    const talks = files.filter((f) => /\.(?:request|graphql)\s*\(/.test(f.text) || importsOf(f.text).some((s) => s === 'probot' || s.startsWith('@octokit/')));
    expect(talks.length).toBeGreaterThan(5);
    expect(talks.map((f) => f.path).filter((p) => !p.startsWith('github/') && p !== 'app.ts')).toEqual([]);
  });
});
