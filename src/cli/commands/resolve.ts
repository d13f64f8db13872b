// Placeholder until the resolve command lands.
import { ConfigurationError } from '../../errors.js'
import type { CliCommand } from '../io.js'

export const resolveCommand: CliCommand = {
  name: 'resolve',
  summary: '(not available yet)',
  usage: 'pullcheck resolve',
  async run() {
    throw new ConfigurationError('this command is not available yet')
  }
}
