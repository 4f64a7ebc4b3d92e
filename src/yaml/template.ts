/**
 * Helm (and other Go-template) files are not YAML until rendered. Detect them so they become a
 * "not scanned: template" notice instead of a syntax error or, worse, findings about a half file.
 */
export function templateMarker(text: string): { line: number; control: boolean } | undefined {
  if (!text.includes('{{')) return undefined;
  const re = /\{\{.*?\}\}/g;
  let first: { line: number; control: boolean } | undefined;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index);
    if (!/(^|\s)#/.test(before)) {
      // `{{` at the start of a line (an `if`, `range`, `include`...) is template control flow.
      const control = before.trim() === '';
      // The notice points at the first placeholder; `control` says whether any line is control flow.
      if (!first) first = { line: lineOf(text, m.index), control };
      if (control) return { line: first.line, control };
    }
    m = re.exec(text);
  }
  return first;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Helm chart layout: `templates/` folder. */
export function isChartTemplatePath(path: string): boolean {
  return /(^|\/)templates\//.test(path);
}
