// Placeholder until the images command lands.
import { ConfigurationError } from '../../errors.js'
import type { CliCommand } from '../io.js'

export const imagesCommand: CliCommand = {
  name: 'images',
  summary: '(not available yet)',
  usage: 'pullcheck images',
  async run() {
    throw new ConfigurationError('this command is not available yet')
  }
}
