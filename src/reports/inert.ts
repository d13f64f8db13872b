// Text pullcheck prints may quote image strings, file names and registry messages from a pull
// request, and in CI that output is read by the runner, which takes `::command::` at the start of a
// line (after any leading whitespace) and the legacy `##[command]` anywhere in a line as instructions.
// Both the CLI's output and the action's plain log lines pass through here so that such text can only
// ever be shown.

/**
 * Whitespace the runner trims before looking for `::` (.NET `string.TrimStart()`: Unicode white space,
 * including NEL, no-break and ideographic spaces), as a superset: JavaScript's `\s` plus U+0085 and
 * U+180E.
 */
const LEADING_WHITESPACE = '[\\s\\u0085\\u180e]*'
const LINE_LEADING_COMMAND = new RegExp(`(^|[\\n\\r])(${LEADING_WHITESPACE})::`, 'g')

/**
 * `text` with workflow-command openers escaped: a line-leading `::` becomes `\u003a:` and `##[`
 * becomes `##\u005b`. Both are valid JSON escapes inside strings (where alone such text can occur in
 * JSON output), so JSON stays parseable and means the same. `text` is taken to start a line.
 */
export function inertOutput(text: string): string {
  return text.replace(LINE_LEADING_COMMAND, '$1$2\\u003a:').replace(/##\[/g, '##\\u005b')
}
