// Secrets (decoded as the API server decodes them), their unreadable stand-ins, and ServiceAccounts.
import { describe, expect, it } from 'vitest'
import { inventoryFromText } from '../../src/inventory/index.js'
import { inventoryOf, textAt } from './support.js'

describe('Secrets', () => {
  it('collects each type with its place, base64 data decoded and stringData merged over data', async () => {
    const inventory = await inventoryOf('fixtures/manifests/secrets/pull-secrets.yaml')
    const file = 'fixtures/manifests/secrets/pull-secrets.yaml'
    expect(inventory.secrets).toEqual([
      {
        file,
        line: 5,
        column: 9,
        endColumn: 18,
        document: 0,
        kind: 'Secret',
        name: 'ghcr-pull',
        namespace: 'shop',
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': '{"auths":{"ghcr.io":{"auth":"Y2ktYm90OmZpeHR1cmUtdG9rZW4tbm90LXJlYWw="}}}' },
        opaqueContents: false
      },
      {
        file,
        line: 14,
        column: 9,
        endColumn: 20,
        document: 1,
        kind: 'Secret',
        name: 'harbor-pull',
        namespace: 'shop',
        type: 'kubernetes.io/dockercfg',
        data: { '.dockercfg': '{"harbor.acme.dev":{"auth":"cm9ib3Qkc2hvcDpmaXh0dXJlLXNlY3JldA=="}}' },
        opaqueContents: false
      },
      {
        file,
        line: 24,
        column: 9,
        endColumn: 18,
        document: 2,
        kind: 'Secret',
        name: 'quay-pull',
        namespace: 'shop',
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': '{"auths": {"quay.io": {"username": "acme+ci", "password": "fixture-password"}}}\n' },
        opaqueContents: false
      },
      {
        file,
        line: 37,
        column: 9,
        endColumn: 23,
        document: 3,
        kind: 'Secret',
        name: 'registry-login',
        namespace: 'shop',
        type: 'Opaque',
        data: { username: 'ci-bot', password: undefined },
        opaqueContents: false
      },
      {
        file,
        line: 46,
        column: 9,
        endColumn: 23,
        document: 4,
        kind: 'Secret',
        name: 'storefront-tls',
        namespace: 'shop',
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': '-----BEGIN CERTIFICATE-----', 'tls.key': '-----BEGIN PRIVATE KEY-----' },
        opaqueContents: false
      }
    ])
    expect(textAt(file, 24, 9)).toBe('quay-pull')
    // The password that is not base64 is present as a key, with no value.
    expect(Object.keys(inventory.secrets[3]?.data ?? {})).toEqual(['username', 'password'])
  })

  it('decodes base64 the way Go does: line breaks ignored, padding required', () => {
    const secret = (value: string) =>
      inventoryFromText(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  key: ${value}\n`, 's.yaml').secrets[0]?.data['key']
    expect(secret('"aGVs\\nbG8="')).toBe('hello')
    expect(secret('aGVsbG8')).toBeUndefined()
    expect(secret('aGVs!G8=')).toBeUndefined()
    expect(secret('12')).toBeUndefined()
  })

  it('collects SealedSecrets, ExternalSecrets and SOPS Secrets under the name of the Secret they produce, contents opaque', async () => {
    const inventory = await inventoryOf('fixtures/manifests/secrets/encrypted.yaml')
    expect(
      inventory.secrets.map((secret) => [secret.kind, secret.name, secret.namespace, secret.type, Object.keys(secret.data), secret.opaqueContents, secret.line, secret.column])
    ).toEqual([
      ['SealedSecret', 'harbor-pull', 'shop', 'kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], true, 12, 13],
      ['ExternalSecret', 'ecr-pull', 'jobs', 'kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], true, 27, 11],
      ['Secret', 'gitlab-pull', 'shop', 'kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], true, 38, 9]
    ])
    expect(inventory.secrets.every((secret) => Object.values(secret.data).every((value) => value === undefined))).toBe(true)
  })
})

describe('ServiceAccounts', () => {
  it('collects each with its pull secrets and their positions', async () => {
    const inventory = await inventoryOf('fixtures/manifests/secrets/service-accounts.yaml')
    const file = 'fixtures/manifests/secrets/service-accounts.yaml'
    expect(inventory.serviceAccounts).toEqual([
      {
        file,
        line: 4,
        column: 9,
        endColumn: 19,
        document: 0,
        name: 'storefront',
        namespace: 'shop',
        imagePullSecrets: [
          { name: 'ghcr-pull', file, line: 7, column: 11 },
          { name: 'quay-pull', file, line: 8, column: 11 }
        ]
      },
      { file, line: 13, column: 9, endColumn: 16, document: 1, name: 'default', namespace: 'shop', imagePullSecrets: [] }
    ])
  })
})
