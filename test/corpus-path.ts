import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Test data from outside the code.
 * - FIXTURE_CORPUS: copies kept in this repository (all PSS conformance fixtures, a subset of the real-world corpus;
 *   see their SOURCE.md). Always present, so the essential tests run in any clone.
 * - SHARED: the workspace folder beside the clone (`../shared`) with the full corpus and the rules crosswalk.
 *   A clean clone has no such folder; the tests that need it are then skipped with a printed reason.
 */
export const FIXTURE_CORPUS = path.join(import.meta.dirname, 'fixtures/corpus');
export const SHARED = path.resolve(import.meta.dirname, '../../shared');
export const SHARED_CORPUS = path.join(SHARED, 'corpus');

/** Whether `../shared/<rel>` exists; if not, warns (once per call) that `what` is skipped and why. */
export function hasShared(rel: string, what: string): boolean {
  const where = path.join(SHARED, rel);
  if (existsSync(where)) return true;
  console.warn(`[skipped] ${what}: ${where} is absent (a clone without the ../shared workspace folder); these tests run only beside it.`);
  return false;
}
