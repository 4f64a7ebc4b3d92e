import picomatch from 'picomatch';
import type { ImagePolicy, RuleContext } from '../core/rule.js';
import type { Path } from '../core/types.js';
import type { ContainerRef } from '../core/workload.js';
import { type ImageRef, isParseError, type ParseError, parseImageRef, registryMatches } from '../k8s/image-ref.js';

export const DEFAULT_DISALLOWED_TAGS: readonly string[] = ['latest'];

export interface ContainerImage {
  /** Path of the container's `image` field. */
  path: Path;
  /** The image as written. */
  text: string;
  ref: ImageRef | ParseError;
}

// Manifests repeat a handful of images across many containers and every image rule parses them: a small
// cache of pure results, dropped whole when full.
const parsed = new Map<string, ImageRef | ParseError>();

function parse(text: string): ImageRef | ParseError {
  let ref = parsed.get(text);
  if (ref === undefined) {
    if (parsed.size >= 4096) parsed.clear();
    ref = parseImageRef(text);
    parsed.set(text, ref);
  }
  return ref;
}

/**
 * Run `fn` for every container (init and ephemeral ones included) that sets an image. A container without one
 * (a patch, or an image a controller fills in) is skipped; a value that is not a string is kept as its JSON,
 * which never parses.
 */
export function forEachImage(fn: (c: ContainerRef, image: ContainerImage, ctx: RuleContext) => void): (ctx: RuleContext) => void {
  return (ctx) => {
    for (const c of ctx.workload.containers) {
      const v = c.value.image;
      if (v === undefined || v === null || v === '') continue;
      const text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
      fn(c, { path: [...c.path, 'image'], text, ref: parse(text) }, ctx);
    }
  };
}

/** Each container image that parses; unparsable ones are `image-mutable-tag`'s finding alone. */
export function forEachValidImage(fn: (c: ContainerRef, image: ContainerImage & { ref: ImageRef }, ctx: RuleContext) => void): (ctx: RuleContext) => void {
  return forEachImage((c, image, ctx) => {
    if (!isParseError(image.ref)) fn(c, image as ContainerImage & { ref: ImageRef }, ctx);
  });
}

/** No digest, and no tag or a tag the policy calls mutable. A digest pins the image whatever its tag says. */
export function isMutable(ref: ImageRef, policy: ImagePolicy): boolean {
  if (ref.digest !== undefined) return false;
  return ref.tag === undefined || (policy.disallowedTags ?? DEFAULT_DISALLOWED_TAGS).includes(ref.tag);
}

/**
 * The canonical form of a policy prefix, read as `registryMatches` reads it (`bitnami` is `docker.io/bitnami`,
 * `index.docker.io` is `docker.io`), so that an image it matches starts with it (registry case aside).
 */
function canonicalPrefix(entry: string): string {
  const trimmed = entry.trim().replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  const first = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (!(first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first)) return `docker.io/${trimmed}`;
  return first === 'index.docker.io' ? `docker.io${trimmed.slice(first.length)}` : trimmed;
}

/**
 * `ref` under `from`, moved under `to`: the part of the canonical reference after the prefix (path, tag,
 * digest) is kept. Only when `from` matches (whole components).
 */
export function rewritePrefix(ref: ImageRef, from: string, to: string): string | undefined {
  if (!registryMatches(ref, from)) return undefined;
  return to.trim().replace(/\/+$/, '') + ref.normalized.slice(canonicalPrefix(from).length);
}

// A compiled matcher per digestExempt list: the list is the same object for the whole scan.
const exemptMatchers = new WeakMap<readonly string[], (ref: ImageRef) => boolean>();

/** `images.digestExempt`: globs on the canonical name (`docker.io/library/nginx`); an entry without glob characters is a prefix. */
export function digestExempt(ref: ImageRef, policy: ImagePolicy): boolean {
  const list = policy.digestExempt;
  if (!list || list.length === 0) return false;
  let match = exemptMatchers.get(list);
  if (!match) {
    const globs = list.filter((e) => picomatch.scan(e).isGlob);
    const prefixes = list.filter((e) => !picomatch.scan(e).isGlob);
    const glob = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
    match = (r) => glob(r.name) || prefixes.some((p) => registryMatches(r, p));
    exemptMatchers.set(list, match);
  }
  return match(ref);
}
