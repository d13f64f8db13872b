// A last line of defence for "credentials never appear in output": every secret the client handles
// is registered here, and every failure detail and log line is scrubbed of them (in plain and Basic
// base64 form) before it leaves the client, whatever a registry or token server echoed back.
import type { Logger } from '../logger.js'
import type { RegistryCredential } from './credentials.js'

const REPLACEMENT = '***'
// Shorter strings would scrub ordinary words; real secrets are longer.
const MIN_SECRET_LENGTH = 4

/** Collects secrets and removes them from text. */
export class Redactor {
  private readonly secrets = new Set<string>()

  /** Registers a credential's secrets (and the Basic header form of username:password). */
  addCredential(credential: RegistryCredential | null): void {
    if (credential === null) return
    if (credential.kind === 'basic') {
      this.add(credential.password)
      this.add(Buffer.from(`${credential.username}:${credential.password}`).toString('base64'))
    } else {
      this.add(credential.token)
    }
  }

  add(secret: string): void {
    if (secret.length >= MIN_SECRET_LENGTH) this.secrets.add(secret)
  }

  /** `text` with every registered secret replaced by ***. */
  redact(text: string): string {
    let result = text
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REPLACEMENT)
    }
    return result
  }

  /** A Logger that redacts before passing messages on. */
  wrap(logger: Logger): Logger {
    return {
      debug: (message) => logger.debug(this.redact(message)),
      info: (message) => logger.info(this.redact(message)),
      warning: (message) => logger.warning(this.redact(message))
    }
  }
}
