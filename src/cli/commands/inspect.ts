// Placeholder until the inspect command lands.
import { ConfigurationError } from '../../errors.js'
import type { CliCommand } from '../io.js'

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: '(not available yet)',
  usage: 'pullcheck inspect',
  async run() {
    throw new ConfigurationError('this command is not available yet')
  }
}
