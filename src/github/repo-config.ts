import { composeConfigGet } from '@probot/octokit-plugin-config';
import { load } from 'js-yaml';
import { Context } from 'probot';
import { parseConfig } from '../engine/config.js';
import { type GitHub, statusOf } from './client.js';

/** Where the app reads its settings (Probot `context.config('minpriv.yml')`). */
export const CONFIG_PATH = '.github/minpriv.yml';

/** The name Probot's `context.config(name)` is given: the file under `.github/`. */
export const CONFIG_NAME = 'minpriv.yml';

/** A file Probot's config plugin read: the repository's, the owner's `.github` repository's, an `_extends` target. */
interface ReadFile {
  owner: string;
  repo: string;
  path: string;
  config: Record<string, unknown> | null;
}

type ConfigGet = (params: object) => Promise<{ config: unknown; files: ReadFile[] }>;

/** How a review reads its config: `load` as Probot does; `fileOf(key)` names the file that holds a key when it is not the repository's own. */
export interface ConfigSource {
  load: () => Promise<unknown>;
  fileOf: (key: string) => string | undefined;
}

/**
 * Probot's `context.config(name)` as it is (the same reads, the same merge), keeping the files it read, so that a
 * problem is reported in the file that holds it. `fileOf(key)` names that file as `owner/repo:path` when it is not
 * the repository's own `.github/minpriv.yml` (an `_extends` target, the owner's `.github` repository), else
 * undefined; the key `(file)` stands for a file that could not be parsed.
 */
export function recordingConfig(context: Context, name: string): ConfigSource {
  const get = (context.octokit as unknown as { config: { get: ConfigGet } }).config.get;
  return recording(context.repo(), get, (recorder) => context.config.call(recorder, name));
}

/**
 * The config the app would apply for `repo`, read through a client that is not Probot's (the CLI's
 * `review --pr`): Probot's own `Context#config` over the config plugin Probot's Octokit carries
 * (@probot/octokit-plugin-config's `composeConfigGet`), so the reads (the repository's default branch, else
 * the owner's `.github` repository, then every `_extends`), the YAML parser and the merge are the app's.
 */
export function repoConfigSource(gh: GitHub, repo: { owner: string; repo: string }, name: string = CONFIG_NAME): ConfigSource {
  const get: ConfigGet = (params) =>
    composeConfigGet(gh as unknown as Parameters<typeof composeConfigGet>[0], params as Parameters<typeof composeConfigGet>[1]);
  return recording(repo, get, (recorder) => Context.prototype.config.call(recorder, name));
}

/** `call` runs Probot's `config` on a stand-in context whose `octokit.config.get` is `get`, recording what it read. */
function recording(here: { owner: string; repo: string }, get: ConfigGet, call: (recorder: Context) => Promise<unknown>): ConfigSource {
  let files: readonly ReadFile[] = [];
  let broken: ReadFile | undefined;
  const recorder = {
    // As Probot's `context.repo(object)`: the repository, then the object's keys.
    repo: (o?: object) => ({ owner: here.owner, repo: here.repo, ...o }),
    octokit: {
      config: {
        get: async (params: object) => {
          try {
            const got = await get(params);
            files = got.files;
            return got;
          } catch (err) {
            broken = fileInError(err);
            throw err;
          }
        },
      },
    },
  };
  const label = (f: ReadFile | undefined) =>
    f === undefined || (f.owner === here.owner && f.repo === here.repo && f.path === CONFIG_PATH) ? undefined : `${f.owner}/${f.repo}:${f.path}`;
  return {
    load: () => call(recorder as unknown as Context),
    fileOf: (key) => label(key === '(file)' ? broken : holderOf(key, files)),
  };
}

/** The file the config plugin names in its error (`… could not be parsed from <url> …`, `… for _extends in <url>`). */
function fileInError(err: unknown): ReadFile | undefined {
  const m = /\/repos\/([^/\s]+)\/([^/\s]+)\/contents\/([^?\s)]+)/.exec(err instanceof Error ? err.message : String(err));
  return m ? { owner: m[1] as string, repo: m[2] as string, path: decodeURIComponent(m[3] as string), config: null } : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Which file gave the merged value at a dotted key. Files come first to last in precedence (the repository's
 * first); Probot merges them with deepmerge: objects key by key, arrays end to end (the last file's first).
 */
function holderOf(key: string, files: readonly ReadFile[]): ReadFile | undefined {
  let live = files.flatMap((file) => (file.config ? [{ file, at: file.config as unknown }] : []));
  for (const seg of key.split('.')) {
    const arrays = live.filter((l) => Array.isArray(l.at));
    if (arrays.length > 0 && /^\d+$/.test(seg)) {
      let i = Number(seg);
      const hit = arrays.reverse().find((l) => {
        const n = (l.at as unknown[]).length;
        if (i < n) return true;
        i -= n;
        return false;
      });
      live = hit ? [{ file: hit.file, at: (hit.at as unknown[])[i] }] : [];
    } else {
      live = live.flatMap((l) => (isRecord(l.at) && Object.hasOwn(l.at, seg) ? [{ file: l.file, at: l.at[seg] }] : []));
    }
    if (live.length === 0) return undefined;
  }
  return live[0]?.file;
}

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

/** Why the PR's own config is not the one applied (the app: the default branch's applies). */
const DEFAULT_BRANCH_APPLIES = `The configuration of the default branch applies to this check, not this pull request's version: a pull request must not weaken its own gate.`;

/**
 * What the PR's own `.github/minpriv.yml` (at its head) would be: the problems of an invalid one, as
 * summary lines, or a remark that it is valid but not applied yet. The default branch's config is the one
 * that applies: a PR must not weaken its own gate.
 */
export async function headConfigCheck(gh: GitHub, repo: { owner: string; repo: string }, headSha: string): Promise<HeadConfigCheck> {
  return checkHeadConfig(() => readConfigText(gh, repo, headSha), DEFAULT_BRANCH_APPLIES);
}

export interface HeadConfigCheck {
  valid: boolean;
  lines: string[];
}

/**
 * `headConfigCheck` over any reader of the head's config text (undefined: absent); `applies` says which
 * config applies instead (`review --base`: the one at the base revision).
 */
export async function checkHeadConfig(read: () => Promise<string | undefined>, applies: string): Promise<HeadConfigCheck> {
  let raw: unknown;
  try {
    const text = await read();
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
