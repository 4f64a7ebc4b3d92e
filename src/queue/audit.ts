import type { Decision } from '../github/handlers.js';

/** The audit record of one decision: who, what, which commit, what came of it. Never a token, a secret or file content. */
export interface AuditRecord {
  audit: 'minpriv.decision';
  mode: 'in-process' | 'queue';
  delivery: string;
  event: string;
  repository: string;
  pr: number;
  headSha: string;
  installation?: number;
  outcome: Decision['outcome'];
  conclusion?: string;
  checkRun?: number;
  counts?: { findings: number; bySeverity: Record<string, number>; annotations: number; comments: number; resolved: number };
  reviewPosted?: boolean;
  durationMs: number;
  error?: string;
}

export function auditRecord(d: Decision, mode: AuditRecord['mode']): AuditRecord {
  const out: AuditRecord = {
    audit: 'minpriv.decision',
    mode,
    delivery: d.deliveryId,
    event: d.event,
    repository: `${d.owner}/${d.repo}`,
    pr: d.pullNumber,
    headSha: d.headSha,
    outcome: d.outcome,
    durationMs: d.durationMs,
  };
  if (d.installationId !== undefined) out.installation = d.installationId;
  if (d.conclusion !== undefined) out.conclusion = d.conclusion;
  if (d.checkRunId !== undefined) out.checkRun = d.checkRunId;
  if (d.findings !== undefined) {
    const bySeverity: Record<string, number> = {};
    for (const f of d.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    out.counts = { findings: d.findings.length, bySeverity, annotations: d.annotations ?? 0, comments: d.comments ?? 0, resolved: d.resolved ?? 0 };
  }
  if (d.reviewPosted !== undefined) out.reviewPosted = d.reviewPosted;
  if (d.error !== undefined) out.error = d.error;
  return out;
}
