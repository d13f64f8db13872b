// The verdict logic on constructed registry answers: which identity's answer decides existence, and
// whether the kubelet, with the pod's secrets, would get in. The same logic runs against real
// registries in test/rules/fixtures.test.ts; here every combination is spelled out.
import { describe, expect, it } from 'vitest'
import type { ImageFacts, LookupFailure, LookupResult, SecretManifest } from '../../src/model.js'
import type { PullCredential } from '../../src/kube/keyring.js'
import type { PullSecretView, ResolvedSecret } from '../../src/scan/secrets.js'
import { decideAccess, decideExistence, denialExplanations, type CredentialAnswer } from '../../src/scan/verdict.js'

const found: ImageFacts = {
  status: 'found',
  digest: 'sha256:' + '1'.repeat(64),
  mediaType: 'application/vnd.oci.image.index.v1+json',
  isIndex: true,
  platforms: [],
  mirror: null,
  rateLimit: null
}
const fail = (status: LookupFailure['status'], extra: Partial<LookupFailure> = {}): LookupFailure => ({ status, detail: status, ...extra })
const authRequired = fail('auth-required')
const refused = fail('auth-rejected')
const tagMissing = fail('tag-not-found')
const unreachable = fail('unreachable', { cause: 'connection-refused' })
const rateLimited = fail('rate-limited')

const secretManifest: SecretManifest = {
  file: 'secret.yaml', line: 1, column: 1, document: 0, kind: 'Secret', name: 'regcred', namespace: 'default',
  type: 'kubernetes.io/dockerconfigjson', data: {}, opaqueContents: false
}
const credential: PullCredential = { key: '127.0.0.1:5000', normalizedKey: '127.0.0.1:5000', username: 'u', password: 'p', secret: 'regcred' }
const usable: ResolvedSecret = {
  ref: { name: 'regcred', file: 'deploy.yaml', line: 20, column: 13 },
  from: 'pod',
  namespace: 'default',
  state: { kind: 'usable', secret: secretManifest, credentials: [credential], hints: [] }
}

function view(overrides: Partial<PullSecretView> = {}): PullSecretView {
  return {
    namespace: 'default', source: 'none', serviceAccount: 'default', serviceAccountManifest: null, serviceAccountUnknown: false,
    effective: [], offered: [], unattached: [], unverifiable: false, ...overrides
  }
}
const answer = (result: LookupResult): CredentialAnswer => ({ secret: usable, credential, result })

describe('decideExistence', () => {
  it("takes pullcheck's own answer when it got the manifest", () => {
    expect(decideExistence(found, [], authRequired)).toEqual({ kind: 'found', facts: found, by: 'pullcheck' })
  })

  it("takes the pod's credentials when only they got in", () => {
    expect(decideExistence(authRequired, [answer(found)], null)).toEqual({ kind: 'found', facts: found, by: 'pull-secret' })
  })

  it('calls an image absent only on an answer from an identity that got in', () => {
    expect(decideExistence(tagMissing, [], null)).toEqual({ kind: 'absent', failure: tagMissing, by: 'pullcheck' })
    expect(decideExistence(authRequired, [answer(tagMissing)], null)).toEqual({ kind: 'absent', failure: tagMissing, by: 'pull-secret' })
  })

  it('prefers any found answer over an absent one', () => {
    expect(decideExistence(tagMissing, [answer(found)], null).kind).toBe('found')
  })

  it('is unknown when nobody got in, and names an unreachable registry before a refusal', () => {
    expect(decideExistence(authRequired, [], authRequired)).toEqual({ kind: 'unknown', failure: authRequired })
    expect(decideExistence(authRequired, [answer(unreachable)], null)).toEqual({ kind: 'unknown', failure: unreachable })
    expect(decideExistence(rateLimited, [], null)).toEqual({ kind: 'unknown', failure: rateLimited })
  })

  it('never turns an unreachable registry into a missing image', () => {
    for (const failure of [unreachable, rateLimited, authRequired, refused, fail('forbidden')]) {
      expect(decideExistence(failure, [answer(failure)], failure).kind).toBe('unknown')
    }
  })
})

describe('decideAccess', () => {
  const exists = decideExistence(found, [], null)

  it('is moot for an absent image', () => {
    expect(decideAccess(decideExistence(tagMissing, [], null), view(), tagMissing, [], tagMissing)).toEqual({ kind: 'moot' })
  })

  it('uses the anonymous answer when the pod offers no credential', () => {
    expect(decideAccess(exists, view(), found, [], found)).toEqual({ kind: 'granted', via: 'anonymous', refused: [] })
    expect(decideAccess(exists, view(), found, [], authRequired)).toEqual({ kind: 'denied', failure: authRequired })
  })

  it("uses the pod's credentials, not pullcheck's, when the pod offers some", () => {
    const offered = view({ effective: [usable], offered: [{ secret: usable, credential }] })
    expect(decideAccess(exists, offered, found, [answer(found)], null)).toEqual({ kind: 'granted', via: 'pull-secret', refused: [] })
    expect(decideAccess(exists, offered, found, [answer(refused)], null)).toEqual({ kind: 'rejected', refused: [answer(refused)] })
  })

  it('grants access when one credential works, keeping the refused ones for a warning', () => {
    const offered = view({ effective: [usable], offered: [{ secret: usable, credential }, { secret: usable, credential }] })
    expect(decideAccess(exists, offered, found, [answer(refused), answer(found)], null)).toEqual({
      kind: 'granted',
      via: 'pull-secret',
      refused: [answer(refused)]
    })
  })

  it("falls back to pullcheck's view when a secret is not in the scanned files", () => {
    expect(decideAccess(exists, view({ unverifiable: true }), found, [], null)).toEqual({ kind: 'unverifiable', ci: found })
  })

  it('is unknown, not denied, when the check could not be made', () => {
    expect(decideAccess(exists, view(), found, [], unreachable)).toEqual({ kind: 'unknown', failure: unreachable })
    const offered = view({ effective: [usable], offered: [{ secret: usable, credential }] })
    expect(decideAccess(exists, offered, found, [answer(rateLimited)], null)).toEqual({ kind: 'unknown', failure: rateLimited })
  })
})

describe('denialExplanations', () => {
  it('names wrong-host when usable secrets exist but none matches', () => {
    expect([...denialExplanations(view({ effective: [usable], offered: [] }))]).toEqual(['wrong-host'])
  })

  it('names each mistake of the effective secrets and unattached ones', () => {
    const wrongType: ResolvedSecret = { ...usable, state: { kind: 'malformed', secret: secretManifest, reason: 'wrong-type', effect: 'ignored-by-kubelet', message: 'Opaque', hints: [] } }
    const badJson: ResolvedSecret = { ...usable, state: { kind: 'malformed', secret: secretManifest, reason: 'bad-json', effect: 'breaks-pull', message: 'bad', hints: [] } }
    const elsewhere: ResolvedSecret = { ...usable, state: { kind: 'wrong-namespace', elsewhere: [secretManifest] } }
    const causes = denialExplanations(
      view({ effective: [wrongType, badJson, elsewhere], unattached: [{ secret: secretManifest, credentials: [credential], overriddenByPod: false }] })
    )
    expect([...causes].sort()).toEqual(['malformed', 'not-attached', 'wrong-namespace', 'wrong-type'])
  })

  it('is empty when the pod simply has no secrets', () => {
    expect(denialExplanations(view()).size).toBe(0)
  })
})
