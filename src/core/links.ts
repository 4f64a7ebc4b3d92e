/**
 * Where suggestions, summaries, SARIF and `minpriv rules` send a reader for a rule's documentation. Two forms:
 * - a minpriv server's public URL (the edge reads `MINPRIV_PUBLIC_URL`): `<url>/docs/rules/<id>`, served by
 *   src/server/docs.ts from the generated docs/rules/*.md;
 * - none: the generated Markdown files in minpriv's repository, `<REPOSITORY_URL>/blob/main/docs/rules/<id>.md`.
 * Pure: the caller passes the URL in; nothing here reads the environment.
 */

/** minpriv's repository: package.json's `repository` (a test keeps the two equal). */
export const REPOSITORY_URL = 'https://github.com/minpriv/minpriv';

/** The Markdown rule docs in the repository (the fallback when no public URL is configured). */
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/docs/rules`;

/** The paths a minpriv server serves the docs under (src/server/docs.ts). */
export const DOCS_PATH = '/docs/rules';
export const SCHEMA_PATH = '/schema/minpriv.schema.json';

/** The environment variable that holds the app's public URL (the edge reads it: the app's roles, the CLI). */
export const PUBLIC_URL_ENV = 'MINPRIV_PUBLIC_URL';

function base(docsUrl: string | undefined): string | undefined {
  return docsUrl ? docsUrl.replace(/\/+$/, '') : undefined;
}

/** A rule's documentation: served by the minpriv at `docsUrl` (its public URL), else the repository's file. */
export function ruleDocUrl(ruleId: string, docsUrl?: string): string {
  const b = base(docsUrl);
  return b ? `${b}${DOCS_PATH}/${encodeURIComponent(ruleId)}` : `${DOCS_BASE_URL}/${ruleId}.md`;
}

/** The rules index. */
export function rulesIndexUrl(docsUrl?: string): string {
  const b = base(docsUrl);
  return b ? `${b}${DOCS_PATH}` : `${DOCS_BASE_URL}/README.md`;
}

/** The JSON Schema of `.github/minpriv.yml`. */
export function configSchemaUrl(docsUrl?: string): string {
  const b = base(docsUrl);
  return b ? `${b}${SCHEMA_PATH}` : `${REPOSITORY_URL}/blob/main/schema/minpriv.schema.json`;
}

/** A public URL that cannot be used (not http(s), or with a query or fragment). */
export class PublicUrlError extends Error {
  readonly code = 'PUBLIC_URL';
}

/**
 * The docs URL from an environment (`MINPRIV_PUBLIC_URL`): the app's public http(s) URL, without a trailing
 * slash; undefined when unset or empty (links then go to the repository). Throws PublicUrlError when it is
 * not a usable URL, so a typo fails at start-up instead of in every link.
 */
export function docsUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const raw = env[PUBLIC_URL_ENV]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PublicUrlError(`${PUBLIC_URL_ENV} is not a URL: "${raw}" (expected e.g. https://minpriv.example.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PublicUrlError(`${PUBLIC_URL_ENV} must be an http(s) URL, got "${raw}"`);
  // Not echoed: it may hold credentials.
  if (url.search || url.hash || url.username || url.password)
    throw new PublicUrlError(`${PUBLIC_URL_ENV} must be a plain URL (no query, fragment or credentials)`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The version minpriv reports (CLI `--version`, SARIF `tool.driver.version`); keep in step with package.json. */
export const TOOL_VERSION = '0.1.0';
