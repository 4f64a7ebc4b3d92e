/**
 * The rule docs, served by the app itself: `GET /docs/rules` (the index), `GET /docs/rules/<id>` (one rule) and
 * `GET /schema/minpriv.schema.json`. The pages are the generated docs/rules/*.md (shipped in the image and the
 * package), rendered to HTML with `marked`. Only known rule ids are served: the id is looked up in the rule list,
 * never joined to a path, so no request reaches another file. Raw HTML in the Markdown is escaped, not passed on.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Marked, type Token } from 'marked';
import { DOCS_PATH, SCHEMA_PATH } from '../core/links.js';
import { allRules } from '../rules/index.js';

/** The folder holding docs/rules and schema: the repository root, or /app in the image (two levels above this file). */
const PACKAGE_ROOT = new URL('../../', import.meta.url);

export interface DocsOptions {
  /** The folder holding `docs/rules/` and `schema/` (default: the package root). */
  root?: URL;
  /** The rule ids to serve (default: every built-in rule). */
  ruleIds?: readonly string[];
}

/** A request handler in Probot's shape: true when it answered. */
export type DocsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cache-control': 'public, max-age=300',
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
code,pre{font:14px ui-monospace,monospace}pre{background:#f6f8fa;padding:1rem;overflow:auto}
table{border-collapse:collapse}th,td{border:1px solid #d1d9e0;padding:.3rem .6rem;text-align:left}nav{margin-bottom:1rem}`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function markdownRenderer(ids: ReadonlySet<string>): Marked {
  // Links between the generated files (`<id>.md`, `README.md`) become the served paths; anything but http(s),
  // mailto and in-page anchors is dropped.
  const href = (h: string): string => {
    const md = /^([a-z0-9-]+)\.md$/.exec(h)?.[1];
    if (md === 'README') return DOCS_PATH;
    if (md !== undefined && ids.has(md)) return `${DOCS_PATH}/${md}`;
    return /^(https?:|mailto:|#)/i.test(h) ? h : '#';
  };
  return new Marked({
    gfm: true,
    async: false,
    walkTokens(token: Token) {
      if (token.type === 'link') token.href = href(token.href);
    },
    renderer: {
      // The generated-file banner is an HTML comment; any other raw HTML is shown as text.
      html: ({ text }) => (/^\s*<!--[\s\S]*-->\s*$/.test(text) ? '' : escapeHtml(text)),
    },
  });
}

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<nav><a href="${DOCS_PATH}">minpriv rules</a></nav>`,
    `<main>${body}</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function notFound(res: ServerResponse, head: boolean): true {
  const body = page('Not found · minpriv', `<h1>Not found</h1><p>No such page. See <a href="${DOCS_PATH}">the rules</a>.</p>`);
  res.writeHead(404, { ...HEADERS, 'content-type': 'text/html; charset=utf-8' }).end(head ? undefined : body);
  return true;
}

/** The handler for the docs routes; any other path is left to the next handler (false). */
export function docsHandler(o: DocsOptions = {}): DocsHandler {
  const root = o.root ?? PACKAGE_ROOT;
  const ids = new Set(o.ruleIds ?? allRules.map((r) => r.id));
  const marked = markdownRenderer(ids);
  // Rendered once per process: the files are part of the image and do not change while it runs.
  const cache = new Map<string, Promise<string | undefined>>();

  const render = (file: string, fallbackTitle: string): Promise<string | undefined> => {
    let p = cache.get(file);
    if (!p) {
      p = readFile(new URL(`docs/rules/${file}`, root), 'utf8').then(
        (md) => {
          const title = /^# (.+)$/m.exec(md)?.[1] ?? fallbackTitle;
          return page(`${title} · minpriv`, marked.parse(md, { async: false }));
        },
        () => undefined,
      );
      cache.set(file, p);
    }
    return p;
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const head = req.method === 'HEAD';
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return false;
    }
    if (path === SCHEMA_PATH) {
      const schema = await readFile(new URL('schema/minpriv.schema.json', root), 'utf8').catch(() => undefined);
      if (schema === undefined) return notFound(res, head);
      res.writeHead(200, { ...HEADERS, 'content-type': 'application/schema+json; charset=utf-8' }).end(head ? undefined : schema);
      return true;
    }
    if (path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`)) return false;
    const rest = path.slice(DOCS_PATH.length + 1);
    // The id is only ever a key of the rule list: `..`, `%2F` or anything else unknown is a 404.
    const html = rest === '' ? await render('README.md', 'Rules') : ids.has(rest) ? await render(`${rest}.md`, rest) : undefined;
    if (html === undefined) return notFound(res, head);
    res.writeHead(200, { ...HEADERS, 'content-type': 'text/html; charset=utf-8' }).end(head ? undefined : html);
    return true;
  };
}
