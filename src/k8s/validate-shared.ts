/** Shared vocabulary of the API-server validation port (`validate.ts`): the error shape and shape-tolerant readers. */
import { type Path, pathToString } from '../core/types.js';
import { isObj, type Obj } from '../core/workload.js';

export interface ValidationError {
  /** Relative to the pod spec (or the RBAC rule); pod metadata errors start with `metadata`. */
  path: Path;
  /** `path` as text, e.g. `containers[0].securityContext`. */
  field: string;
  /** Go's `field.Error` body: the error type, then the detail, e.g. `Forbidden: ...`. */
  message: string;
  /** The Go function that raises it, e.g. `ValidateSecurityContext`. */
  source: string;
}

/** apimachinery `field.ErrorType` strings, as `field.Error.ErrorBody` prints them. */
export type ErrorKind = 'Required value' | 'Invalid value' | 'Forbidden' | 'Unsupported value' | 'Duplicate value' | 'Not found' | 'Too long';

export function fieldError(path: Path, kind: ErrorKind, detail: string, source: string): ValidationError {
  return { path, field: pathToString(path), message: detail === '' ? kind : `${kind}: ${detail}`, source };
}

export function notSupported(path: Path, value: unknown, supported: readonly string[], source: string): ValidationError {
  return fieldError(path, 'Unsupported value', `${JSON.stringify(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`, source);
}

// Readers for untrusted documents. A value of the wrong JSON type would fail decoding at the API server;
// here it reads as absent, so this port reports only what validation itself would say.
export const asObj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A Go pointer field is set when the key is present and not `null`. */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null;
export const isTrue = (v: unknown): boolean => v === true;

export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface ContainerAt {
  c: Obj;
  path: Path;
  name: string;
}

/**
 * The containers of a pod spec. `visit` is the order of pkg/apis/core/pods `VisitContainersWithPath` (init,
 * regular, ephemeral); `validate` the order `ValidatePodSpec` checks them in (regular, init, ephemeral).
 */
export function containersOf(spec: Obj, order: 'visit' | 'validate'): ContainerAt[] {
  const lists: ContainerList[] =
    order === 'visit' ? ['initContainers', 'containers', 'ephemeralContainers'] : ['containers', 'initContainers', 'ephemeralContainers'];
  const out: ContainerAt[] = [];
  for (const list of lists) {
    asList(spec[list]).forEach((c, i) => {
      if (isObj(c)) out.push({ c, path: [list, i], name: asStr(c.name) });
    });
  }
  return out;
}

const MAX_ID = 2147483647;

/** apimachinery util/validation `IsValidUserID` / `IsValidGroupID`: 0..MaxInt32. */
export function validateId(v: unknown, path: Path, source: string): ValidationError[] {
  if (typeof v !== 'number') return [];
  if (Number.isInteger(v) && v >= 0 && v <= MAX_ID) return [];
  return [fieldError(path, 'Invalid value', `must be between 0 and ${MAX_ID}, inclusive`, source)];
}

/** validation.go `validateLocalDescendingPath` with `validatePathNoBacksteps`. */
export function validateLocalDescendingPath(target: string, path: Path, source: string): ValidationError[] {
  const out: ValidationError[] = [];
  if (target.startsWith('/')) out.push(fieldError(path, 'Invalid value', 'must be a relative path', source));
  if (target.split('/').includes('..')) out.push(fieldError(path, 'Invalid value', "must not contain '..'", source));
  return out;
}

/** apimachinery util/validation `IsDNS1123Label`. */
export function dns1123LabelErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    out.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  }
  return out;
}
