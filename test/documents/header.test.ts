// The pre-screen reads a document's apiVersion and kind without parsing it, and says "unsure"
// (null) whenever the lines could mean something else — then the document is parsed.
import { describe, expect, it } from 'vitest'
import { readDocumentHeader } from '../../src/documents/index.js'

const header = (text: string) => readDocumentHeader(text, 0, text.length)

describe('readDocumentHeader', () => {
  it.each([
    ['plain values', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  kind: Deployment\n', { apiVersion: 'v1', kind: 'ConfigMap' }],
    ['quoted values and comments', '---\n# Source: x\napiVersion: "rbac.authorization.k8s.io/v1"\nkind: \'Role\'  # rbac\n', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' }],
    ['CRLF', 'apiVersion: v1\r\nkind: Service\r\n', { apiVersion: 'v1', kind: 'Service' }],
    ['kind first, space before the colon', 'kind : Service\napiVersion: v1\n', { apiVersion: 'v1', kind: 'Service' }]
  ])('reads %s', (_name, text, expected) => {
    expect(header(text)).toEqual(expected)
  })

  it.each([
    ['a duplicated kind', 'apiVersion: v1\nkind: ConfigMap\nkind: Deployment\n'],
    ['a quoted key', 'apiVersion: v1\n"kind": Deployment\nkind: ConfigMap\n'],
    ['a merge key', 'apiVersion: v1\n<<: *base\nkind: ConfigMap\n'],
    ['a multi-line value', 'apiVersion: v1\nkind: Config\n  Map\n'],
    ['a value with a comment glued on', 'apiVersion: v1\nkind: ConfigMap#x\n'],
    ['a tagged value', 'apiVersion: v1\nkind: !!str ConfigMap\n'],
    ['an alias', 'apiVersion: v1\nkind: *k\n'],
    ['a flow mapping', '{apiVersion: v1, kind: ConfigMap}\n'],
    ['a block scalar document', '--- |\napiVersion: v1\nkind: ConfigMap\n'],
    ['an indented document', '  apiVersion: v1\n  kind: ConfigMap\n'],
    ['a missing apiVersion', 'kind: ConfigMap\n'],
    ['a tab', 'apiVersion: v1\nkind:\tConfigMap\n']
  ])('is unsure about %s', (_name, text) => {
    expect(header(text)).toBeNull()
  })
})
