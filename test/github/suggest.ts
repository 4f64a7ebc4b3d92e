/** Apply review suggestions to a text the way GitHub does: the block replaces lines start_line..line. Written independently of src/. */
export function applySuggestions(text: string, comments: readonly { line: number; start_line?: number; body: string }[]): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const sorted = [...comments].sort((a, b) => b.line - a.line);
  for (const c of sorted) {
    const m = /(`{3,})suggestion\n([\s\S]*?)\n?\1/.exec(c.body);
    if (!m) throw new Error('no suggestion block');
    const block = m[2] === '' ? [] : (m[2] as string).split('\n');
    const start = c.start_line ?? c.line;
    lines.splice(start - 1, c.line - start + 1, ...block);
  }
  return `${lines.join('\n')}\n`;
}
