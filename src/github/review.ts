import { fingerprintsIn, type PriorThread } from '../report/review.js';
import type { ReviewComment } from '../report/suggestion.js';
import { failureOf, type GitHub, type GraphqlState, type Log, noteGraphqlFailure, silentLog } from './client.js';
import type { PrTarget } from './pull-request.js';

const THREAD_PAGES = 10;
/** Review comments (replies included) read through REST, 100 a page. */
const COMMENT_PAGES = 30;
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

/** Earlier bot threads, and whether their ids are GraphQL thread ids that resolveThreads can resolve. */
export interface PriorThreads {
  threads: PriorThread[];
  resolvable: boolean;
}

/**
 * Earlier bot threads: GraphQL reviewThreads, or when that fails (an API without GraphQL, an answer with
 * errors) the PR's review comments through REST. REST cannot tell a resolved thread from an open one nor
 * give a thread id, so its threads only deduplicate (a fingerprint already commented on is not posted
 * again) and are never resolved.
 */
export async function readPriorThreads(gh: GitHub, t: PrTarget, options: { graphql?: GraphqlState; log?: Log } = {}): Promise<PriorThreads> {
  const log = options.log ?? silentLog;
  const state = options.graphql ?? { usable: true };
  let why = 'GraphQL unavailable';
  if (state.usable) {
    try {
      return { threads: await listBotThreads(gh, t), resolvable: true };
    } catch (err) {
      noteGraphqlFailure(state, err);
      why = `GraphQL answered ${failureOf(err)}`;
      log.warn(`reading review threads of #${t.pull_number} failed (${why}): reading review comments through REST`);
    }
  }
  const threads = await listBotComments(gh, t);
  log.debug?.(`earlier comments of #${t.pull_number} read through REST (${why}): thread resolution skipped, it needs GraphQL`);
  return { threads, resolvable: false };
}

type RestComment = {
  id: number;
  path: string;
  body: string;
  line?: number | null;
  in_reply_to_id?: number;
  user: { type?: string } | null;
};

/**
 * The bot's earlier suggestions through REST: first comments of their threads (not replies) written by a
 * bot and carrying the fingerprint marker. `line: null` means GitHub could not place the comment on the
 * new diff: outdated. The id is the comment's, which no GraphQL mutation accepts.
 */
export async function listBotComments(gh: GitHub, t: PrTarget): Promise<PriorThread[]> {
  const out: PriorThread[] = [];
  for (let page = 1; page <= COMMENT_PAGES; page++) {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
      owner: t.owner,
      repo: t.repo,
      pull_number: t.pull_number,
      per_page: 100,
      page,
    });
    const list = (Array.isArray(data) ? data : []) as RestComment[];
    for (const c of list) {
      if (c.in_reply_to_id !== undefined && c.in_reply_to_id !== null) continue;
      if (c.user?.type !== 'Bot' || typeof c.body !== 'string') continue;
      const fingerprints = fingerprintsIn(c.body);
      if (fingerprints.length > 0) out.push({ id: `comment:${c.id}`, path: c.path, fingerprints, outdated: c.line === null });
    }
    if (list.length < 100) break;
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
