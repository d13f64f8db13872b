// Every rule pullcheck runs, in the order the documentation lists them. The list is explicit: a rule
// exists when it is here, never by the side effect of an import.
import { authRequired } from './auth-required.js'
import { credentialsInReference } from './credentials-in-reference.js'
import { digestNotFound } from './digest-not-found.js'
import { imageTooLarge } from './image-too-large.js'
import { invalidReference } from './invalid-reference.js'
import { latestTag } from './latest-tag.js'
import { platformMismatch } from './platform-mismatch.js'
import { pullSecretMalformed } from './pull-secret-malformed.js'
import { pullSecretNotAttached } from './pull-secret-not-attached.js'
import { pullSecretNotFound } from './pull-secret-not-found.js'
import { pullSecretRejected } from './pull-secret-rejected.js'
import { pullSecretUnverifiable } from './pull-secret-unverifiable.js'
import { pullSecretWrongHost } from './pull-secret-wrong-host.js'
import { pullSecretWrongNamespace } from './pull-secret-wrong-namespace.js'
import { pullSecretWrongType } from './pull-secret-wrong-type.js'
import { rateLimited } from './rate-limited.js'
import { registryBlocked } from './registry-blocked.js'
import { registryTimeout } from './registry-timeout.js'
import { registryTlsError } from './registry-tls-error.js'
import { registryUnreachable } from './registry-unreachable.js'
import { repositoryNotFound } from './repository-not-found.js'
import { skippedFile } from './skipped-file.js'
import { tagDigestMismatch } from './tag-digest-mismatch.js'
import { tagNotFound } from './tag-not-found.js'
import { templatedImage } from './templated-image.js'
import { unparseableFile } from './unparseable-file.js'
import type { Rule } from './types.js'

export type { Rule, FindingDraft, ImageCheck, RuleContext, ScanPicture } from './types.js'

/** All rules. Each is also a `RuleMeta`, so this list feeds the docs generator and SARIF directly. */
export const allRules: Rule[] = [
  invalidReference,
  latestTag,
  credentialsInReference,
  repositoryNotFound,
  tagNotFound,
  digestNotFound,
  tagDigestMismatch,
  authRequired,
  pullSecretNotFound,
  pullSecretWrongNamespace,
  pullSecretWrongType,
  pullSecretWrongHost,
  pullSecretNotAttached,
  pullSecretMalformed,
  pullSecretRejected,
  pullSecretUnverifiable,
  platformMismatch,
  imageTooLarge,
  registryUnreachable,
  registryTimeout,
  registryTlsError,
  registryBlocked,
  rateLimited,
  unparseableFile,
  templatedImage,
  skippedFile
]

/** The ids of all rules (for the config loader, which must not import the rules themselves). */
export const ruleIds: readonly string[] = allRules.map((rule) => rule.id)

/** The rules whose findings mean "could not verify", never "will not pull". */
export const COULD_NOT_VERIFY_RULES: ReadonlySet<string> = new Set([
  registryUnreachable.id,
  registryTimeout.id,
  registryTlsError.id,
  registryBlocked.id,
  rateLimited.id
])
