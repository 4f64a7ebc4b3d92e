/** Where the rule documentation is published; suggestions, SARIF and summaries link here. */
export const DOCS_BASE_URL = 'https://github.com/minpriv/minpriv/blob/main/docs/rules';

export function ruleDocUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}/${ruleId}.md`;
}
