/**
 * Writes schema/minpriv.schema.json from the zod schema of `.github/minpriv.yml`
 * (`npx tsx scripts/gen-schema.ts`; `--check` exits 1 when the file is stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../src/engine/config.js';

export const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'minpriv.schema.json');

export function renderSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const want = renderSchema();
  if (process.argv.includes('--check')) {
    const have = readFileSync(SCHEMA_PATH, 'utf8');
    if (have !== want) {
      process.stderr.write('schema/minpriv.schema.json is stale: run `npx tsx scripts/gen-schema.ts`\n');
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_PATH, want);
  }
}
