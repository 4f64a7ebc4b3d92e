import { load } from 'js-yaml';
import { parseConfig } from '../engine/config.js';
import { type GitHub, statusOf } from './client.js';

/** Where the app reads its settings (Probot `context.config('minpriv.yml')`). */
export const CONFIG_PATH = '.github/minpriv.yml';

/**
 * The raw text of `.github/minpriv.yml` at `ref` (the default branch when absent) through the contents API's
 * raw media type; undefined on 404.
 */
export async function readConfigText(gh: GitHub, repo: { owner: string; repo: string }, ref?: string): Promise<string | undefined> {
  try {
    const { data } = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: repo.owner,
      repo: repo.repo,
      path: CONFIG_PATH,
      ...(ref === undefined ? {} : { ref }),
      mediaType: { format: 'raw' },
    });
    return typeof data === 'string' ? data : Buffer.from(data as unknown as ArrayBuffer).toString('utf8');
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/**
 * The config the app would apply, read as Probot reads it: the repository's file on its default branch,
 * else the one of the owner's `.github` repository, else none (null). `_extends` is not followed.
 * Unparsable YAML throws (the caller reports it as a config problem).
 */
export async function loadRepoConfig(gh: GitHub, repo: { owner: string; repo: string }): Promise<unknown> {
  const text = (await readConfigText(gh, repo)) ?? (await readConfigText(gh, { owner: repo.owner, repo: '.github' }));
  if (text === undefined) return null;
  try {
    return load(text) ?? null;
  } catch (err) {
    throw new Error(`${CONFIG_PATH} could not be parsed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/**
 * What the PR's own `.github/minpriv.yml` (at its head) would be: the problems of an invalid one, as
 * summary lines, or a remark that it is valid but not applied yet. The default branch's config is the one
 * that applies: a PR must not weaken its own gate.
 */
export async function headConfigCheck(gh: GitHub, repo: { owner: string; repo: string }, headSha: string): Promise<{ valid: boolean; lines: string[] }> {
  const applies = `The configuration of the default branch applies to this check, not this pull request's version: a pull request must not weaken its own gate.`;
  let raw: unknown;
  try {
    const text = await readConfigText(gh, repo, headSha);
    raw = text === undefined ? null : (load(text) ?? null);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { valid: false, lines: [`This pull request's \`${CONFIG_PATH}\` is invalid: it could not be read or parsed (${why}). ${applies}`] };
  }
  const parsed = parseConfig(raw);
  if (parsed.ok) return { valid: true, lines: [`This pull request changes \`${CONFIG_PATH}\`; its version is valid and applies once merged. ${applies}`] };
  return {
    valid: false,
    lines: [
      `This pull request's \`${CONFIG_PATH}\` is invalid (${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'}); fix it before merging, or every later pull request fails. ${applies}`,
      ...parsed.issues.map((i) => `\`${CONFIG_PATH}\` in this pull request: \`${i.key}\`: ${i.message}`),
    ],
  };
}
