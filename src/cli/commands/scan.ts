// Placeholder until the scan command lands.
import { ConfigurationError } from '../../errors.js'
import type { CliCommand } from '../io.js'

export const scanCommand: CliCommand = {
  name: 'scan',
  summary: '(not available yet)',
  usage: 'pullcheck scan',
  async run() {
    throw new ConfigurationError('this command is not available yet')
  }
}
