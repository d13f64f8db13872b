// Placeholder until the action lands.
import * as core from '@actions/core'

export async function run(): Promise<void> {
  core.setFailed('pullcheck: the action is not available yet')
}
