import type { K8sObject } from '../core/object.js';
import type { Notice, Path, SourceFile } from '../core/types.js';
import { isWorkload, type Obj } from '../core/workload.js';
import { type EmbeddedView, embeddedPlacement, positionIn, positionOf } from '../yaml/locate.js';
import { type ParsedFile, type ParseLimits, parseYamlFile } from '../yaml/parse.js';
import { isChartTemplatePath, templateMarker } from '../yaml/template.js';
import {
  argoHelmSetsSecurityFields,
  embeddedPatchesOf,
  helmValuesSetSecurityFields,
  type InlinePatch,
  inlinePatchesOf,
  isJsonPatch,
  isKustomizationFile,
  jsonPatchValues,
  patchFilesOf,
} from './kustomize.js';
import { objectsOfDocument, toObject } from './workload.js';

/** One object of a file, with what is needed to place what rules report about it. */
export interface PlacedObject {
  object: K8sObject;
  /** Event index of its document's root, in the file's parse. */
  root: number;
  /** For objects read from embedded text (inline patches) or JSON6902 op values: where their paths land. */
  place?: EmbeddedView;
  /** Line of the object (notices). */
  line(): number;
}

/** What a file holds, in document order: notices and objects interleaved as they appear. */
export type FileItem = { notice: Notice } | { object: PlacedObject };

export type FileObjects =
  | { kind: 'template'; path: string; notice: Notice }
  | { kind: 'error'; path: string; parsed: ParsedFile }
  | { kind: 'parsed'; path: string; parsed: ParsedFile; items: FileItem[]; objects: K8sObject[] };

/** The files that the kustomizations among `files` and `context` list as patches (partial manifests). */
export function kustomizePatches(
  files: readonly SourceFile[],
  context: readonly SourceFile[],
  limits: ParseLimits,
): { patches: Set<string>; parsed: Map<string, ParsedFile> } {
  const parsed = new Map<string, ParsedFile>();
  const patches = new Set<string>();
  for (const f of files) {
    if (!isKustomizationFile(f.path)) continue;
    const p = parseYamlFile(f.path, f.content, limits);
    parsed.set(f.path, p);
    for (const doc of p.docs) for (const x of patchFilesOf(f.path, doc.value)) patches.add(x);
  }
  for (const f of context) {
    if (!isKustomizationFile(f.path) || parsed.has(f.path)) continue;
    for (const doc of parseYamlFile(f.path, f.content, limits).docs) for (const x of patchFilesOf(f.path, doc.value)) patches.add(x);
  }
  return { patches, parsed };
}

/**
 * The Kubernetes objects of one parsed file: the documents (and `kind: List` items), the pod specs that
 * JSON6902 patches and inline kustomize patches set, and the notices that say what was only partly
 * checked (patches, HelmRelease values) or not at all (templates). `isPatchFile`: a kustomization lists it.
 */
export function findObjects(parsed: ParsedFile, isPatchFile: boolean, limits: ParseLimits): FileObjects {
  const path = parsed.path;
  const marker = parsed.error?.reason === 'too-large' ? undefined : templateMarker(parsed.text);
  // Template control flow in a file that parses is a template only if it reads as a manifest: other YAML with Go
  // templates (a `.goreleaser.yaml`'s `name_template`) is skipped like any YAML that holds no Kubernetes object.
  if (marker && (parsed.error || isChartTemplatePath(path) || (marker.control && mentionsManifest(parsed.text)))) {
    const message = 'not scanned: template (Helm/Go template syntax `{{ }}`); scan the rendered manifests instead';
    return { kind: 'template', path, notice: { kind: 'template', file: path, line: marker.line, message } };
  }
  if (parsed.error) return { kind: 'error', path, parsed };
  const items: FileItem[] = [];
  const objects: K8sObject[] = [];
  const notice = (line: number, kind: Notice['kind'], message: string): void => {
    items.push({ notice: { kind, file: path, line, message } });
  };
  let partialNoticed = false;

  // Patches that are not manifests: JSON6902 op lists, and patches written inline in a kustomization.
  const jsonPatch = (ops: Obj[], base: EmbeddedView, docIndex: number, line = positionIn(base, []).line): void => {
    notice(line, 'partial', 'JSON6902 patch: only the values of its `add`/`replace` ops are checked');
    for (const v of jsonPatchValues(ops)) {
      const object = toObject(v.object, path, docIndex, [], true);
      if (!isWorkload(object)) continue;
      const toView = (p: Path): Path => (v.pointer.every((seg, i) => p[i] === seg) ? [v.index, 'value', ...p.slice(v.pointer.length)] : [v.index, 'value']);
      items.push({ object: { object, root: base.root, place: { ...base, toView }, line: () => line } });
    }
  };
  const inline = (patch: InlinePatch, docIndex: number, docRoot: number): void => {
    const { line, ...at } = embeddedPlacement(parsed, docRoot, patch.path, patch.text);
    const inner = parseYamlFile(path, patch.text, limits);
    if (inner.error) {
      notice(line, 'skipped', `inline patch not checked: it does not parse (${inner.error.message})`);
      return;
    }
    for (const idoc of inner.docs) {
      const place: EmbeddedView = { ...at, view: inner, root: idoc.root, prefix: patch.path };
      if (isJsonPatch(idoc.value)) jsonPatch(idoc.value, place, docIndex, line);
      for (const obj of objectsOfDocument(idoc.value)) {
        const object = toObject(obj.value, path, docIndex, obj.basePath, true);
        if (!isWorkload(object)) continue;
        notice(line, 'partial', 'inline patch: only the fields it sets are checked');
        items.push({ object: { object, root: idoc.root, place, line: () => line } });
      }
    }
  };

  const kustomization = isKustomizationFile(path);
  for (const doc of parsed.docs) {
    if (isJsonPatch(doc.value)) jsonPatch(doc.value, { view: parsed, root: doc.root, prefix: [] }, doc.index);
    for (const obj of objectsOfDocument(doc.value)) {
      const object = toObject(obj.value, path, doc.index, obj.basePath, isPatchFile);
      objects.push(object);
      const line = (): number => positionOf(parsed, doc.root, obj.basePath).line;
      if (object.id.kind === 'HelmRelease' && helmValuesSetSecurityFields(object.value)) {
        notice(line(), 'skipped', 'HelmRelease values not checked: they set security fields; scan the rendered chart (helm template) instead');
      }
      if ((object.id.kind === 'Application' || object.id.kind === 'ApplicationSet') && argoHelmSetsSecurityFields(object.value)) {
        notice(line(), 'skipped', 'Argo CD Helm values not checked: they set security fields; scan the rendered chart (helm template) instead');
      }
      if (object.partial && isWorkload(object) && !partialNoticed) {
        partialNoticed = true;
        notice(line(), 'partial', 'partial manifest (patch): only the fields it sets are checked');
      }
      items.push({ object: { object, root: doc.root, line } });
    }
    if (kustomization) for (const patch of inlinePatchesOf(doc.value)) inline(patch, doc.index, doc.root);
    else {
      // Patches a Flux Kustomization, a HelmRelease's post-renderers or an Argo CD Application apply to what they deploy.
      const embedded = embeddedPatchesOf(doc.value);
      for (const patch of embedded.inline) inline(patch, doc.index, doc.root);
      for (const at of embedded.unread) {
        notice(
          positionOf(parsed, doc.root, at).line,
          'skipped',
          'patch given as an object (a legacy field) not checked: write it as `patch: |`, or scan the rendered manifests',
        );
      }
    }
  }
  return { kind: 'parsed', path, parsed, items, objects };
}

/** A line that sets `apiVersion:` or `kind:` (at any indentation, or as a list item's first key): what every manifest has. */
function mentionsManifest(text: string): boolean {
  return /^[ \t-]*(?:apiVersion|kind)[ \t]*:/m.test(text);
}
