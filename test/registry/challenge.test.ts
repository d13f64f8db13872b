// WWW-Authenticate parsing, as registries send it (RFC 7235 / RFC 6750 and distribution's token spec).
import { describe, expect, it } from 'vitest'
import { parseChallenges, selectChallenge } from '../../src/registry/challenge.js'

describe('parseChallenges', () => {
  it('reads a Docker Hub bearer challenge', () => {
    expect(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' } }
    ])
  })

  it('keeps commas inside quoted values and reads the error of an insufficient_scope answer', () => {
    expect(
      parseChallenges('Bearer realm="https://r.example/token",service="r.example",scope="repository:samalba/my-app:pull,push",error="insufficient_scope"')
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://r.example/token', service: 'r.example', scope: 'repository:samalba/my-app:pull,push', error: 'insufficient_scope' }
      }
    ])
  })

  it('unescapes backslashes, lower-cases scheme and parameter names, allows spaces and tokens', () => {
    expect(parseChallenges('BEARER Realm = "https://r.example/t\\"x" , Service=plain')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://r.example/t"x', service: 'plain' } }
    ])
  })

  it('reads repeated headers (undici gives an array) and several challenges on one line', () => {
    expect(parseChallenges(['Negotiate abc==', 'Basic realm="Registry Realm"'])).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'basic', params: { realm: 'Registry Realm' } }
    ])
    expect(parseChallenges('Basic realm="a, b", Bearer realm="https://t.example/token"')).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token' } }
    ])
  })

  it('returns nothing for a missing or empty header and survives an unterminated quote', () => {
    expect(parseChallenges(undefined)).toEqual([])
    expect(parseChallenges('')).toEqual([])
    expect(parseChallenges('Bearer realm="https://r.example/token')).toEqual([{ scheme: 'bearer', params: { realm: 'https://r.example/token' } }])
  })
})

describe('selectChallenge', () => {
  it('picks the first Bearer or Basic challenge, skipping others', () => {
    const challenges = parseChallenges(['Negotiate', 'Basic realm="x"', 'Bearer realm="y"'])
    expect(selectChallenge(challenges)).toEqual({ scheme: 'basic', params: { realm: 'x' } })
    expect(selectChallenge(parseChallenges('Negotiate'))).toBeNull()
  })
})
