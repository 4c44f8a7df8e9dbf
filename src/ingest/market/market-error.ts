// The error a market adapter raises when a public API answers with something it cannot read.
import { BellwetherError } from '../../errors.ts';

export class MarketError extends BellwetherError<'bad_market_response'> {
  readonly code = 'bad_market_response';
}
