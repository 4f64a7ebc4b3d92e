/**
 * Container image references, read the way Docker, containerd and the kubelet read them: a port of
 * github.com/distribution/reference at 0965666 (v0.6.0-22, `regexp.go`, `reference.go`, `normalize.go`,
 * `helpers.go`), with the digest rules of github.com/opencontainers/go-digest v1.0.0, the version that
 * module's go.mod pins. Pure: no I/O.
 *
 * Deviations, all deliberate:
 * - Digest algorithms: go-digest v1.0.0 knows sha256, sha384 and sha512, each "available" only when the
 *   binary links the hash. Container runtimes link all three; upstream's own test binary links only sha256,
 *   so its `sha512` case expects "unsupported". Here all three are accepted.
 * - Error texts follow upstream, but nothing should match on them.
 */

export interface ImageRef {
  original: string;
  /** Registry host, with port: `docker.io` for Docker Hub names, never empty. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/nginx`. */
  path: string;
  tag?: string;
  /** `algorithm:hex`, validated as go-digest does. */
  digest?: string;
  /** `domain/path`: upstream's `Name()`. */
  name: string;
  /** Docker UI form (`FamiliarString`): `nginx:1.27`, `bitnami/redis`, `gcr.io/p/x@sha256:…`. */
  familiar: string;
  /** Canonical form (`String()`): `docker.io/library/nginx:1.27`; no default tag is added. */
  normalized: string;
}

/** A reference as upstream `Parse` returns it, before Docker Hub normalisation: `domain` may be empty. */
export interface Reference {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

export type ParseError = { error: string };

// regexp.go: the grammar, built from the same parts so the two can be compared line by line.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const localhost = 'localhost';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
// Go's `\w` and JS's `\w` (without the u flag) are both [0-9A-Za-z_].
const tagPat = '[\\w][\\w.-]{0,127}';
// `[[:xdigit:]]` in Go's syntax.
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const identifier = '([a-f0-9]{64})';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;

const optional = (...res: string[]) => `(?:${res.join('')})?`;
const anyTimes = (...res: string[]) => `(?:${res.join('')})*`;
const capture = (...res: string[]) => `(${res.join('')})`;
const anchored = (...res: string[]) => `^${res.join('')}$`;

const pathComponent = alphanumeric + anyTimes(separator + alphanumeric);
const remoteName = pathComponent + anyTimes('/', pathComponent);
const namePat = optional(domainAndPort, '/') + remoteName;
const anchoredNameRegexp = new RegExp(anchored(optional(capture(domainAndPort), '/'), capture(remoteName)));
const referenceRegexp = new RegExp(anchored(capture(namePat), optional(':', capture(tagPat)), optional('@', capture(digestPat))));
const anchoredIdentifierRegexp = new RegExp(anchored(identifier));

// reference.go
const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;
// normalize.go
const legacyDefaultDomain = 'index.docker.io';
const defaultDomain = 'docker.io';
const officialRepoPrefix = 'library/';
const defaultTag = 'latest';

// go-digest v1.0.0 algorithm.go (`algorithms`, `anchoredEncodedRegexps`): hex length per algorithm.
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
// go-digest v1.0.0 digest.go DigestRegexpAnchored.
const digestRegexpAnchored = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** go-digest v1.0.0 digest.go `Digest.Validate` with algorithm.go `Algorithm.Validate`. */
function validateDigest(s: string): string | undefined {
  const i = s.indexOf(':');
  if (i <= 0 || i + 1 === s.length) return 'invalid checksum digest format';
  const alg = s.slice(0, i);
  const encoded = s.slice(i + 1);
  const hexLength = Object.hasOwn(DIGEST_HEX_LENGTH, alg) ? DIGEST_HEX_LENGTH[alg] : undefined;
  if (hexLength === undefined) return digestRegexpAnchored.test(s) ? 'unsupported digest algorithm' : 'invalid checksum digest format';
  if (encoded.length !== hexLength) return 'invalid checksum digest length';
  return /^[a-f0-9]+$/.test(encoded) ? undefined : 'invalid checksum digest format';
}

/** reference.go `Parse`: the syntax, with no Docker Hub defaulting (`ubuntu` has an empty domain here). */
export function parseReference(s: string): Reference | ParseError {
  if (typeof s !== 'string' || s === '') return { error: 'repository name must have at least one component' };
  const matches = referenceRegexp.exec(s);
  if (matches === null) {
    const sl = s.toLowerCase();
    if (sl !== s && referenceRegexp.test(sl)) return { error: 'repository name must be lowercase' };
    return { error: 'invalid reference format' };
  }
  const name = matches[1] ?? '';
  const nameMatch = anchoredNameRegexp.exec(name);
  const domain = nameMatch ? (nameMatch[1] ?? '') : '';
  const path = nameMatch ? (nameMatch[2] ?? '') : name;
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) {
    return { error: `repository name must not be more than ${REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters` };
  }
  const ref: Reference = { domain, path };
  if (matches[2]) ref.tag = matches[2];
  if (matches[3]) {
    const digestError = validateDigest(matches[3]);
    if (digestError !== undefined) return { error: digestError };
    ref.digest = matches[3];
  }
  return ref;
}

/** normalize.go `splitDockerDomain`. */
function splitDockerDomain(name: string): [domain: string, remoteName: string] {
  const slash = name.indexOf('/');
  // Single element ("familiar") names such as `ubuntu:latest` are never a domain, not even `localhost`
  // or `example.com` (upstream's FIXME).
  if (slash === -1) return [defaultDomain, officialRepoPrefix + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemoteName = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === localhost) [domain, remote] = [maybeDomain, maybeRemoteName];
  else if (maybeDomain === legacyDefaultDomain) [domain, remote] = [defaultDomain, maybeRemoteName];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemoteName];
  // Uppercase namespaces are not allowed, so an uppercase first element is taken for a domain name.
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemoteName];
  else [domain, remote] = [defaultDomain, name];
  if (domain === defaultDomain && !remote.includes('/')) remote = officialRepoPrefix + remote;
  return [domain, remote];
}

/** normalize.go `familiarizeName`. */
function familiarName(domain: string, path: string): string {
  if (domain !== defaultDomain) return `${domain}/${path}`;
  if (path.startsWith(officialRepoPrefix)) {
    const remainder = path.slice(officialRepoPrefix.length);
    if (!remainder.includes('/')) return remainder;
  }
  return path;
}

function withSuffix(name: string, tag: string | undefined, digest: string | undefined): string {
  return name + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
}

/** normalize.go `ParseNormalizedNamed`: parse an image as written in a pod spec. Never throws. */
export function parseImageRef(s: string): ImageRef | ParseError {
  if (typeof s !== 'string') return { error: 'invalid reference format' };
  if (anchoredIdentifierRegexp.test(s)) return { error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  const [domain, remainder] = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) return { error: `invalid reference format: repository name (${remote}) must be lowercase` };
  const ref = parseReference(`${domain}/${remainder}`);
  if ('error' in ref) return ref;
  const name = `${ref.domain}/${ref.path}`;
  const out: ImageRef = {
    original: s,
    domain: ref.domain,
    path: ref.path,
    name,
    familiar: withSuffix(familiarName(ref.domain, ref.path), ref.tag, ref.digest),
    normalized: withSuffix(name, ref.tag, ref.digest),
  };
  if (ref.tag !== undefined) out.tag = ref.tag;
  if (ref.digest !== undefined) out.digest = ref.digest;
  return out;
}

export function isParseError(r: ImageRef | Reference | ParseError): r is ParseError {
  return 'error' in r;
}

export function hasTag(ref: ImageRef): boolean {
  return ref.tag !== undefined;
}

/**
 * The image floats: no digest, and no tag or `latest`. A digest pins the image whatever the tag says
 * (normalize.go `ParseDockerRef` drops the tag), and the kubelet's default pull policy is `Always` exactly
 * for these (pkg/apis/core/v1/defaults.go `SetDefaults_Container`).
 */
export function isLatestOrUntagged(ref: ImageRef): boolean {
  return ref.digest === undefined && (ref.tag === undefined || ref.tag === defaultTag);
}

/** normalize.go `ParseDockerRef` as a string: the digest wins over a tag, and a bare name gets `:latest`. */
export function dockerReference(ref: ImageRef): string {
  if (ref.digest !== undefined) return `${ref.name}@${ref.digest}`;
  return `${ref.name}:${ref.tag ?? defaultTag}`;
}

/**
 * Is the image under the allowed prefix? Compared on the canonical form (`docker.io/library/nginx:1.27`),
 * whole components only, as Kubescape's `imageDigestExemptRepositories` and Gatekeeper's `K8sAllowedReposv2`
 * intend: `gcr.io/proj` allows `gcr.io/proj/x` and `gcr.io/proj:tag`, not `gcr.io/project`; `evilgcr.io` is
 * not `gcr.io`; `docker.io` allows `nginx`. The first element of `allowed` is read as `splitDockerDomain`
 * reads an image's: a registry when it has `.` or `:`, is `localhost` or has uppercase, else a Docker Hub
 * path (`bitnami` means `docker.io/bitnami`). `index.docker.io` is `docker.io`. The registry must be equal
 * (case-insensitive, port included): `gcr.io` does not allow `gcr.io:443/x`. No `library/` is inserted into
 * `allowed`: `docker.io/nginx` names the `nginx` namespace; official images are `docker.io/library/nginx`.
 */
export function registryMatches(ref: ImageRef, allowed: string): boolean {
  if (typeof allowed !== 'string') return false;
  let entry = allowed.trim();
  while (entry.endsWith('/')) entry = entry.slice(0, -1);
  if (entry === '') return false;
  const slash = entry.indexOf('/');
  let domain = slash === -1 ? entry : entry.slice(0, slash);
  let rest = slash === -1 ? '' : entry.slice(slash + 1);
  const isDomain = domain === localhost || /[.:]/.test(domain) || domain.toLowerCase() !== domain;
  if (!isDomain) {
    domain = defaultDomain;
    rest = entry;
  } else if (domain === legacyDefaultDomain) {
    domain = defaultDomain;
  }
  if (domain.toLowerCase() !== ref.domain.toLowerCase()) return false;
  if (rest === '') return true;
  const target = ref.normalized.slice(ref.domain.length + 1);
  if (!target.startsWith(rest)) return false;
  const next = target.charAt(rest.length);
  return next === '' || next === '/' || next === ':' || next === '@';
}
