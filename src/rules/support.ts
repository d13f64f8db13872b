// Helpers shared by the registry and pull-secret rules: where to point besides the image line,
// and how severe a pull-secret problem is once the registry's answers are known.
import type { Position, Severity, SecretManifest } from '../model.js'
import type { ResolvedSecret } from '../scan/secrets.js'
import type { RegistryView } from '../scan/verdict.js'

export type RelatedPosition = Position & { message: string }

/** The place a pull-secret reference was written (pod spec or ServiceAccount). */
export function referencePosition(secret: ResolvedSecret): RelatedPosition {
  const where = secret.from === 'pod' ? "the pod's imagePullSecrets" : "the ServiceAccount's imagePullSecrets"
  return { file: secret.ref.file, line: secret.ref.line, column: secret.ref.column, message: `secret "${secret.ref.name}" is referenced here, in ${where}` }
}

/** The place a Secret manifest is defined. */
export function manifestPosition(secret: SecretManifest, message: string): RelatedPosition {
  return { file: secret.file, line: secret.line, column: secret.column, message }
}

/**
 * The most a pull-secret mistake can weigh on this image: a warning when the kubelet would get in
 * anyway (the image pulls anonymously, or another credential works), no cap otherwise.
 */
export function pullSecretCap(view: RegistryView | null): Severity | undefined {
  return view !== null && view.access.kind === 'granted' ? 'warning' : undefined
}

/** A notice when the nodes may pull with credentials pullcheck cannot see (`nodeCredentials`). */
export function nodeCredentialsCap(view: RegistryView): Severity | undefined {
  return view.nodeCredentials ? 'notice' : undefined
}

/** Appended to access findings on registries the nodes may pull from with their own credentials. */
export function nodeCredentialsNote(view: RegistryView): string {
  return view.nodeCredentials
    ? ` (${view.reference.registry} matches nodeCredentials: the nodes may pull it with their own credentials, which pullcheck cannot check)`
    : ''
}
