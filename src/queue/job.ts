/**
 * What the web role hands the workers: one review request per delivery, kept per pull request. Plain JSON
 * (no tokens, no file contents): it sits in Redis.
 */
export interface ReviewSpec {
  /** GitHub's `X-GitHub-Delivery`: the same on a redelivery. */
  deliveryId: string;
  /** `pull_request.synchronize`, `check_run.rerequested`, … */
  event: string;
  installationId?: number;
  owner: string;
  repo: string;
  pull: { number: number; headSha: string; baseSha?: string; changedFiles?: number; draft: boolean };
  /** The check run the web role created `queued` (absent for drafts, or when creating it failed). */
  checkRunId?: number;
  /** The web role is still creating the queued check run: no worker takes the spec until it is recorded. */
  creating?: boolean;
  /** When the web role received the delivery (ms since the epoch). */
  receivedAt: number;
  /** The job working on it, once one took it. */
  takenBy?: string;
}

/** The data of a BullMQ job: which pull request to look at (the specs themselves are read when it runs). */
export interface ReviewJobData {
  prKey: string;
  deliveryId: string;
  headSha: string;
  enqueuedAt: number;
}

/** `owner/repo#N`: one pull request, the unit of de-duplication and locking. */
export function prKeyOf(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}

/** BullMQ ids must not contain `:`; GitHub's delivery GUIDs do not, but a redelivery tool might. */
export function safeId(id: string): string {
  return id.replace(/[:\s]/g, '-');
}

/** The newest spec: by when it was received, then by delivery id (a stable order for equal times). */
export function newest(specs: readonly ReviewSpec[]): ReviewSpec | undefined {
  return [...specs].sort((a, b) => b.receivedAt - a.receivedAt || (a.deliveryId < b.deliveryId ? 1 : -1))[0];
}
