// Extra CA certificates for registries with private PKI: the files given with --ca-file (or the
// config's caFile) and the file named by NODE_EXTRA_CA_CERTS, read as PEM text for the client.
import { readFile } from 'node:fs/promises'
import { ConfigurationError, getErrorMessage } from '../errors.js'

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/**
 * Reads PEM certificates from `files` (each must hold at least one certificate; a ConfigurationError
 * names `key` and the file otherwise) and from env NODE_EXTRA_CA_CERTS when set.
 */
export async function loadCaCertificates(files: string[], env: NodeJS.ProcessEnv, key = '--ca-file'): Promise<string[]> {
  const certificates: string[] = []
  const sources = files.map((file) => ({ file, key }))
  if (env.NODE_EXTRA_CA_CERTS !== undefined && env.NODE_EXTRA_CA_CERTS !== '') sources.push({ file: env.NODE_EXTRA_CA_CERTS, key: 'NODE_EXTRA_CA_CERTS' })
  for (const source of sources) {
    let text: string
    try {
      text = await readFile(source.file, 'utf8')
    } catch (error) {
      throw new ConfigurationError(`cannot read ${source.file}: ${getErrorMessage(error)}`, source.key)
    }
    const found = text.match(PEM_CERTIFICATE)
    if (found === null) throw new ConfigurationError(`${source.file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, source.key)
    certificates.push(...found)
  }
  return certificates
}
