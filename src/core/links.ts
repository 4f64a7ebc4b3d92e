/** Where the rule documentation is published; suggestions, SARIF and summaries link here. */
export const DOCS_BASE_URL = 'https://github.com/minpriv/minpriv/blob/main/docs/rules';

export function ruleDocUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}/${ruleId}.md`;
}

/** The version minpriv reports (CLI `--version`, SARIF `tool.driver.version`); keep in step with package.json. */
export const TOOL_VERSION = '0.1.0';
