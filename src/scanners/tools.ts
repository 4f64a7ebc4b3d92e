import { datree } from './datree.js';
import { kubeLinter } from './kube-linter.js';
import { kubescape } from './kubescape.js';
import { trivy } from './trivy.js';
import type { ScannerTool, ToolSpec } from './types.js';

/** Every external scanner minpriv can run, by tool name. */
export const TOOL_SPECS: Readonly<Record<ScannerTool, ToolSpec>> = {
  kubescape,
  trivy,
  'kube-linter': kubeLinter,
  datree,
};
