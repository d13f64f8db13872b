// A throw-away certificate authority made at test time with the openssl CLI: the CA itself, and
// server certificates for 127.0.0.1/localhost that are valid, expired, or for another host name —
// the TLS cases the client must tell apart. Nothing here is committed; every run makes new keys.
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { makeTempDir, removeTempDir } from './temp-dir.js'

const run = promisify(execFile)

/** Which server certificate to issue: the client must accept only `valid` (once it trusts the CA). */
export type ServerCertificateKind = 'valid' | 'expired' | 'wrong-host'

/** A PEM certificate and its unencrypted PEM key, as files (for the registry's config) and text. */
export interface IssuedCertificate {
  certificateFile: string
  keyFile: string
  certificatePem: string
  keyPem: string
}

export interface TestCertificateAuthority {
  /** The CA certificate (PEM): what a client is given with --ca-file. */
  caPem: string
  caFile: string
  /** Issues a server certificate signed by this CA. */
  issueServerCertificate(kind: ServerCertificateKind): Promise<IssuedCertificate>
  /** Deletes the keys and certificates. */
  dispose(): Promise<void>
}

const SUBJECT_ALT_NAMES: Record<ServerCertificateKind, string> = {
  valid: 'IP:127.0.0.1,DNS:localhost',
  expired: 'IP:127.0.0.1,DNS:localhost',
  'wrong-host': 'DNS:registry.pullcheck.test'
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd })
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? ''
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`)
  }
}

/** Creates a new CA (EC P-256) in a temp dir. Call dispose() when done. */
export async function createTestCertificateAuthority(): Promise<TestCertificateAuthority> {
  const dir = await makeTempDir('ca')
  const caFile = path.join(dir, 'ca.pem')
  await openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=pullcheck test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'
  ])
  const caPem = await readFile(caFile, 'utf8')
  let serial = 1

  return {
    caPem,
    caFile,
    async issueServerCertificate(kind) {
      serial += 1
      const name = `server-${kind}-${serial}`
      const extFile = `${name}.ext`
      await writeFile(
        path.join(dir, extFile),
        `subjectAltName=${SUBJECT_ALT_NAMES[kind]}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`
      )
      await openssl(dir, [
        'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${kind === 'wrong-host' ? 'registry.pullcheck.test' : '127.0.0.1'}`
      ])
      // openssl 3.0 cannot back-date a certificate, but `-days -1` puts notAfter a day before
      // notBefore (= now), which every verifier reports as expired.
      await openssl(dir, [
        'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(serial),
        '-days', kind === 'expired' ? '-1' : '30', '-extfile', extFile, '-out', `${name}.pem`
      ])
      const certificateFile = path.join(dir, `${name}.pem`)
      const keyFile = path.join(dir, `${name}.key`)
      return {
        certificateFile,
        keyFile,
        certificatePem: await readFile(certificateFile, 'utf8'),
        keyPem: await readFile(keyFile, 'utf8')
      }
    },
    dispose: () => removeTempDir(dir)
  }
}

/**
 * Creates a self-signed EC P-256 key pair for signing registry tokens: the certificate goes into
 * the registry's `auth.token.rootcertbundle`, the key signs the JWTs.
 */
export async function createTokenSigningKey(dir: string): Promise<IssuedCertificate> {
  await openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'token-signer.key', '-out', 'token-signer.pem', '-days', '30', '-subj', '/CN=pullcheck test token signer'
  ])
  const certificateFile = path.join(dir, 'token-signer.pem')
  const keyFile = path.join(dir, 'token-signer.key')
  return {
    certificateFile,
    keyFile,
    certificatePem: await readFile(certificateFile, 'utf8'),
    keyPem: await readFile(keyFile, 'utf8')
  }
}
