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

/** Every changed file of a pull request (paginated; GitHub stops at 3,000). `expected` (the PR's changed_files) saves the empty last page. */
export async function listPullFiles(gh: GitHub, t: PrTarget, expected?: number): Promise<PrFile[]> {
  const out: PrFile[] = [];
  for (let page = 1; page <= MAX_PR_FILES / PER_PAGE; page++) {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: t.owner,
      repo: t.repo,
      pull_number: t.pull_number,
      per_page: PER_PAGE,
      page,
    });
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
  }
  return out;
}
