import { load } from 'js-yaml';
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
