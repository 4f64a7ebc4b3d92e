import type { Finding, FixIntent, FixOp, ResourceId } from '../core/types.js';

/** The `sources` of every finding minpriv reports itself: one frozen array, not one per finding. */
export const MINPRIV_SOURCES: string[] = Object.freeze(['minpriv']) as unknown as string[];

/** A node of `ReportOnly`'s path tree: the shared array of the path that ends here, and the segments that go on. */
interface PathNode {
  path?: (string | number)[];
  next?: Map<string | number, PathNode>;
}

const NO_OPS: FixOp[] = Object.freeze([]) as unknown as FixOp[];

/**
 * A copy of `s` that shares no memory with it. V8 makes a string of 13 or more code units taken from
 * another one (a slice, or a concatenation) point into it, so one field name kept in a finding would keep
 * the whole file text alive. A shorter string is always its own copy. Prefixing makes a concatenation,
 * which the slice flattens into a fresh string first.
 */
export function flatString(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/**
 * Slims findings for a report-only scan (`ScanOptions.reportOnly`): of a fix it keeps what the reports
 * print (title and confidence), and every string a finding takes from the YAML text becomes a copy of its
 * own, so that a file's text and parse are garbage once the file is scanned. Strings that many findings
 * repeat (path segments, kinds, container names, fix titles), and equal paths, are shared through tables
 * that live as long as the scan.
 */
export class ReportOnly {
  private readonly strings = new Map<string, string>();
  /** Equal paths share one array: a tree of their segments (a `Map` tells the number 1 from the string '1'). */
  private readonly paths: PathNode = {};
  // Weak: a resource id is the object's own until the object goes; its copy lives on in the findings.
  private readonly ids = new WeakMap<ResourceId, ResourceId>();
  // The last id and its copy: an object's findings come one after another, so most lookups end here.
  private lastId: ResourceId | undefined;
  private lastCopy: ResourceId | undefined;

  private shared(s: string): string {
    // A short string is its own already; sharing it is not worth a lookup.
    if (s.length < 13) return s;
    let out = this.strings.get(s);
    if (out === undefined) {
      out = flatString(s);
      this.strings.set(out, out);
    }
    return out;
  }

  /** The path, as one array shared by every finding with an equal path. */
  private path<T extends string | number>(path: readonly T[]): T[] {
    // One map lookup per segment, no key string to build.
    let node = this.paths;
    for (const seg of path) {
      node.next ??= new Map();
      let child = node.next.get(seg);
      if (child === undefined) {
        child = {};
        node.next.set(typeof seg === 'string' ? this.shared(seg) : seg, child);
      }
      node = child;
    }
    if (node.path === undefined) node.path = path.map((seg) => (typeof seg === 'string' ? this.shared(seg) : seg));
    return node.path as T[];
  }

  resource(id: ResourceId): ResourceId {
    if (id === this.lastId) return this.lastCopy as ResourceId;
    let out = this.ids.get(id);
    if (out === undefined) {
      // Spread first: the same keys in the same order.
      out = { ...id, apiVersion: this.shared(id.apiVersion), kind: this.shared(id.kind), name: flatString(id.name), basePath: this.path(id.basePath) };
      if (id.namespace !== undefined) out.namespace = this.shared(id.namespace);
      this.ids.set(id, out);
    }
    this.lastId = id;
    this.lastCopy = out;
    return out;
  }

  fix(fix: FixIntent): FixIntent {
    return { confidence: fix.confidence, ops: NO_OPS, title: this.shared(fix.title) };
  }

  /** Slim a finding in place. */
  finding(f: Finding): void {
    f.message = flatString(f.message);
    f.path = this.path(f.path);
    if (f.resource) f.resource = this.resource(f.resource);
    if (f.container !== undefined) f.container = this.shared(f.container);
    if (f.fix) f.fix = this.fix(f.fix);
    if (f.suppressed?.reason !== undefined) f.suppressed = { ...f.suppressed, reason: flatString(f.suppressed.reason) };
  }
}
