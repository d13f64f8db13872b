// What the CLI writes may quote image strings, file names and registry messages from a pull request,
// and in CI its output is read by the runner, which takes `::command::` at the start of a line
// (leading spaces ignored) and the legacy `##[command]` anywhere in a line as instructions. Every
// chunk the CLI prints passes through here so that such text can only ever be shown.

/**
 * `text` with workflow-command openers escaped: a line-leading `::` becomes `\u003a:` and `##[`
 * becomes `##\u005b`. Both are valid JSON escapes inside strings (where alone such text can occur in
 * JSON output), so JSON stays parseable and means the same. `text` is taken to start a line.
 */
export function inertOutput(text: string): string {
  return text.replace(/(^|[\n\r])([ \t]*)::/g, '$1$2\\u003a:').replace(/##\[/g, '##\\u005b')
}
