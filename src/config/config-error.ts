// The one error configuration raises; its own file so the command line can recognise it without loading zod.
import { BellwetherError } from '../errors.ts';

export class ConfigError extends BellwetherError<'invalid_config'> {
  readonly code = 'invalid_config';
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}
