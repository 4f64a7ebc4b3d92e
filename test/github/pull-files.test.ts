import { describe, expect, it } from 'vitest';
import type { GitHub } from '../../src/github/client.js';
import { listPullFiles } from '../../src/github/pull-request.js';

const target = { owner: 'acme', repo: 'gitops', pull_number: 7 };

/**
 * A file list of `total` files served 100 a page (GitHub stops at 3,000). Later pages answer first, so an
 * order kept only by luck would show. Records the pages asked for and the most requests in flight at once.
 */
function fakeList(total: number, fail?: number) {
  const asked: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const listed = Math.min(total, 3000);
  const gh = {
    request: async (route: string, params: { per_page: number; page: number }) => {
      expect(route).toBe('GET /repos/{owner}/{repo}/pulls/{pull_number}/files');
      asked.push(params.page);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, Math.max(0, 20 - params.page)));
      inFlight--;
      if (params.page === fail) throw new Error(`page ${fail} failed`);
      const from = (params.page - 1) * params.per_page;
      const data = Array.from({ length: Math.max(0, Math.min(params.per_page, listed - from)) }, (_, i) => ({
        filename: `k8s/f-${String(from + i).padStart(4, '0')}.yaml`,
        status: 'added',
        patch: '@@ -0,0 +1 @@\n+a: 1',
      }));
      return { data };
    },
  } as unknown as GitHub;
  return { gh, asked, maxInFlight: () => maxInFlight };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `k8s/f-${String(i).padStart(4, '0')}.yaml`);

describe('listPullFiles', () => {
  it('with the count known, reads the pages a few at a time and keeps GitHub’s order', async () => {
    const f = fakeList(1050);
    const files = await listPullFiles(f.gh, target, 1050);
    expect(files.map((x) => x.path)).toEqual(names(1050));
    expect([...f.asked].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(f.maxInFlight()).toBeGreaterThan(1);
    expect(f.maxInFlight()).toBeLessThanOrEqual(4);
  });

  it('without a count, reads one page at a time until a short page', async () => {
    const f = fakeList(250);
    const files = await listPullFiles(f.gh, target);
    expect(files.map((x) => x.path)).toEqual(names(250));
    expect(f.asked).toEqual([1, 2, 3]);
    expect(f.maxInFlight()).toBe(1);
  });

  it('a count of exactly full pages saves the empty page after them', async () => {
    const f = fakeList(200);
    expect(await listPullFiles(f.gh, target, 200)).toHaveLength(200);
    expect([...f.asked].sort()).toEqual([1, 2]);
  });

  it('no changed file: one page', async () => {
    const f = fakeList(0);
    expect(await listPullFiles(f.gh, target, 0)).toEqual([]);
    expect(f.asked).toEqual([1]);
  });

  it('stops at GitHub’s 3,000 files when the PR has more', async () => {
    const f = fakeList(5000);
    const files = await listPullFiles(f.gh, target, 5000);
    expect(files).toHaveLength(3000);
    expect(files.map((x) => x.path)).toEqual(names(3000));
    expect(f.asked).toHaveLength(30);
  });

  it('a count over the list (the PR changed since): the list ends at the short page, and pages not started are not read', async () => {
    const f = fakeList(150);
    const files = await listPullFiles(f.gh, target, 750);
    expect(files.map((x) => x.path)).toEqual(names(150));
    // At most four pages ahead of the one taken: 1–4, then 5 once page 1 is taken; 6 to 8 are never asked for.
    expect([...f.asked].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a count under the list: the pages the count needs, as one page at a time would end', async () => {
    const f = fakeList(400);
    const files = await listPullFiles(f.gh, target, 120);
    expect(files.map((x) => x.path)).toEqual(names(200));
    expect([...f.asked].sort()).toEqual([1, 2]);
  });

  it('a failed page fails the list, and no later page is left unhandled', async () => {
    const f = fakeList(1000, 2);
    await expect(listPullFiles(f.gh, target, 1000)).rejects.toThrow('page 2 failed');
    await new Promise((r) => setTimeout(r, 50));
    // Pages 1–4, and 5 once page 1 was taken, were asked for before page 2 failed; no other is.
    expect([...f.asked].sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
