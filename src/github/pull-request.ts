import type { ChangeStatus } from '../core/types.js';
import type { GitHub } from './client.js';

export interface PrTarget {
  owner: string;
  repo: string;
  pull_number: number;
}

export interface PullInfo {
  number: number;
  headSha: string;
  /** The base branch's commit the PR is compared with (payload `pull_request.base.sha`): base versions are read there. */
  baseSha?: string;
  /** GitHub's count of changed files (the list API stops at 3,000). */
  changedFiles?: number;
}

export interface PrFile {
  path: string;
  status: ChangeStatus;
  previousPath?: string;
  patch?: string;
  /** Head blob SHA: the REST fallback reads the content by it when GraphQL does not give it. */
  sha?: string;
}

/** GitHub lists at most 3,000 files of a pull request, 100 per page. */
export const MAX_PR_FILES = 3000;
const PER_PAGE = 100;

export async function getPull(gh: GitHub, t: PrTarget): Promise<PullInfo> {
  const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: t.owner, repo: t.repo, pull_number: t.pull_number });
  const pull: PullInfo = { number: data.number, headSha: data.head.sha, changedFiles: data.changed_files };
  const base = (data as { base?: { sha?: unknown } }).base?.sha;
  if (typeof base === 'string') pull.baseSha = base;
  return pull;
}

/**
 * How many file-list pages are in flight at once when the PR's file count is known. GitHub answers each page
 * in a few hundred milliseconds: one after another, the 30 pages of a 3,000-file PR took seconds before the
 * first content query could start. A few at a time keeps well under GitHub's 100 concurrent requests.
 */
const PAGE_WINDOW = 4;

/**
 * Every changed file of a pull request (paginated; GitHub stops at 3,000), in GitHub's order. `expected` (the
 * PR's changed_files) saves the empty last page, and says which pages hold the list: those are read up to
 * PAGE_WINDOW ahead of the page being taken, the same requests as one after another. The pages are taken in
 * order and the list ends where it would one page at a time; only a count that says more files than the list
 * holds (the PR changed in between) can have asked for up to PAGE_WINDOW - 1 pages past its end (never more).
 */
export async function listPullFiles(gh: GitHub, t: PrTarget, expected?: number): Promise<PrFile[]> {
  const maxPages = MAX_PR_FILES / PER_PAGE;
  const read = async (page: number) => {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: t.owner,
      repo: t.repo,
      pull_number: t.pull_number,
      per_page: PER_PAGE,
      page,
    });
    return data;
  };
  // Without a count, one page at a time: only the page read says whether there is another.
  const known = expected === undefined ? 1 : Math.min(maxPages, Math.max(1, Math.ceil(expected / PER_PAGE)));
  const ahead = new Map<number, ReturnType<typeof read>>();
  const start = (page: number) => {
    const p = read(page);
    // A page not taken (the list ended before it, or an earlier page failed) must not be an unhandled rejection.
    p.catch(() => undefined);
    ahead.set(page, p);
  };
  for (let page = 1; page <= Math.min(known, PAGE_WINDOW); page++) start(page);
  const out: PrFile[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const data = await (ahead.get(page) ?? read(page));
    ahead.delete(page);
    for (const f of data) {
      const file: PrFile = { path: f.filename, status: f.status };
      if (f.previous_filename) file.previousPath = f.previous_filename;
      if (f.sha) file.sha = f.sha;
      if (f.patch) file.patch = f.patch;
      // A pure rename (or copy) changes no line: an empty diff, so its old findings are out of scope as in local git mode.
      else if ((f.status === 'renamed' || f.status === 'copied') && f.changes === 0) file.patch = '';
      out.push(file);
    }
    if (data.length < PER_PAGE || (expected !== undefined && out.length >= expected)) break;
    if (page + PAGE_WINDOW <= known) start(page + PAGE_WINDOW);
  }
  return out;
}
