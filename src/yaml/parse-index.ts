import { EVENT_ID, type Event } from 'js-yaml';

export interface EventIndex {
  /** For a collection or document event, the index of its closing POP event; otherwise 0. */
  ends: Int32Array;
  /** Anchor name -> event index of the anchored node (the last definition in the file). */
  anchors: Map<string, number>;
  /** For an ALIAS event, the event index of the closest definition before it; -1 otherwise. */
  aliasTargets: Int32Array;
  /** Event index of each document's root node. */
  roots: number[];
}

export interface IndexError {
  reason: 'aliases';
  message: string;
  offset: number;
}

/**
 * Subtree ends, anchors, alias targets and document roots in one pass; then, only when the file has
 * aliases, a second pass that bounds the nodes they expand to (alias bombs). Most manifests have no
 * alias, and the size bookkeeping would otherwise cost as much as the index itself.
 */
export function indexEvents(events: readonly Event[], text: string, maxExpandedNodes: number): EventIndex | { error: IndexError } {
  const n = events.length;
  const ends = new Int32Array(n);
  const aliasTargets = new Int32Array(n).fill(-1);
  const anchors = new Map<string, number>();
  const roots: number[] = [];
  // Open collections; js-yaml bounds their depth (maxDepth), so the stack stays small.
  const stack: number[] = [];
  let aliases = false;
  for (let i = 0; i < n; i++) {
    const e = events[i] as Event;
    switch (e.type) {
      case EVENT_ID.SCALAR:
        if (e.anchorStart >= 0) anchors.set(text.slice(e.anchorStart, e.anchorEnd), i);
        break;
      case EVENT_ID.POP:
        ends[stack.pop() as number] = i;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        stack.push(i);
        if (e.anchorStart >= 0) anchors.set(text.slice(e.anchorStart, e.anchorEnd), i);
        break;
      case EVENT_ID.DOCUMENT:
        roots.push(i + 1);
        stack.push(i);
        break;
      case EVENT_ID.ALIAS:
        aliases = true;
        aliasTargets[i] = anchors.get(text.slice(e.anchorStart, e.anchorEnd)) ?? -1;
        break;
    }
  }
  if (aliases) {
    const error = expansionError(events, text, maxExpandedNodes);
    if (error) return { error };
  }
  return { ends, anchors, aliasTargets, roots };
}

/** The first alias after which the nodes added by aliases exceed `maxExpandedNodes`, if any. */
function expansionError(events: readonly Event[], text: string, maxExpandedNodes: number): IndexError | undefined {
  const anchorSize = new Map<string, number>();
  // Expanded size of each open collection; the events of a document nest, so a stack follows them.
  const stackIdx: number[] = [];
  const stackSize: number[] = [];
  // Nodes that aliases add once expanded: real nodes are bounded by the byte cap, these are not.
  let viaAliases = 0;
  const addSize = (k: number): void => {
    if (stackSize.length > 0) stackSize[stackSize.length - 1] = (stackSize[stackSize.length - 1] as number) + k;
  };
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Event;
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        stackIdx.push(i);
        stackSize.push(0);
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        stackIdx.push(i);
        stackSize.push(1);
        break;
      case EVENT_ID.SCALAR:
        addSize(1);
        if (e.anchorStart >= 0) anchorSize.set(text.slice(e.anchorStart, e.anchorEnd), 1);
        break;
      case EVENT_ID.ALIAS: {
        const size = anchorSize.get(text.slice(e.anchorStart, e.anchorEnd)) ?? 1;
        addSize(size);
        viaAliases += size;
        if (viaAliases > maxExpandedNodes) {
          return {
            reason: 'aliases',
            message: `aliases expand to more than ${maxExpandedNodes} nodes (an alias bomb?); not scanned`,
            offset: e.anchorStart - 1,
          };
        }
        break;
      }
      case EVENT_ID.POP: {
        const open = events[stackIdx.pop() as number] as Event;
        const size = stackSize.pop() as number;
        if (open.type === EVENT_ID.MAPPING || open.type === EVENT_ID.SEQUENCE) {
          addSize(size);
          if (open.anchorStart >= 0) anchorSize.set(text.slice(open.anchorStart, open.anchorEnd), size);
        }
        break;
      }
    }
  }
  return undefined;
}
