import { fingerprintsIn, type PriorThread } from '../report/review.js';
import type { ReviewComment } from '../report/suggestion.js';
import type { GitHub } from './client.js';
import type { PrTarget } from './pull-request.js';

const THREAD_PAGES = 10;
const RESOLVE_BATCH = 25;

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: {
          id: string;
          isResolved: boolean;
          isOutdated: boolean;
          path: string;
          comments: { nodes: { body: string; viewerDidAuthor: boolean; author: { __typename: string } | null }[] };
        }[];
      };
    } | null;
  } | null;
}

const THREADS_QUERY = `query minprivThreads($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved isOutdated path comments(first: 1) { nodes { body viewerDidAuthor author { __typename } } } }
      }
    }
  }
}`;

/**
 * Unresolved threads that minpriv opened: the first comment carries the fingerprint marker and was
 * written by this app (the viewer) or at least by a bot, so a person cannot silence a finding by
 * pasting a marker.
 */
export async function listBotThreads(gh: GitHub, t: PrTarget): Promise<PriorThread[]> {
  const out: PriorThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < THREAD_PAGES; page++) {
    const data: ThreadsPage = await gh.graphql<ThreadsPage>(THREADS_QUERY, { owner: t.owner, name: t.repo, number: t.pull_number, cursor });
    const threads = data.repository?.pullRequest?.reviewThreads;
    if (!threads) break;
    for (const n of threads.nodes) {
      const first = n.comments.nodes[0];
      if (n.isResolved || !first || !(first.viewerDidAuthor || first.author?.__typename === 'Bot')) continue;
      const fingerprints = fingerprintsIn(first.body);
      if (fingerprints.length > 0) out.push({ id: n.id, path: n.path, fingerprints, outdated: n.isOutdated });
    }
    if (!threads.pageInfo.hasNextPage) break;
    cursor = threads.pageInfo.endCursor;
  }
  return out;
}

/** One submitted review (event COMMENT: the check run blocks, the review only suggests) on the analysed commit. */
export async function postReview(gh: GitHub, t: PrTarget, commitId: string, body: string, comments: readonly ReviewComment[]): Promise<number> {
  const { data } = await gh.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
    owner: t.owner,
    repo: t.repo,
    pull_number: t.pull_number,
    commit_id: commitId,
    event: 'COMMENT',
    body,
    comments: comments.map((c) => ({ ...c })),
  });
  return Number(data.id);
}

/** Resolve threads, several per GraphQL mutation (aliases). */
export async function resolveThreads(gh: GitHub, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += RESOLVE_BATCH) {
    const batch = ids.slice(i, i + RESOLVE_BATCH);
    const decls = batch.map((_, j) => `$t${j}: ID!`).join(', ');
    const fields = batch.map((_, j) => `r${j}: resolveReviewThread(input: { threadId: $t${j} }) { thread { id isResolved } }`).join(' ');
    const vars = Object.fromEntries(batch.map((id, j) => [`t${j}`, id]));
    await gh.graphql(`mutation minprivResolve(${decls}) { ${fields} }`, vars);
  }
}
