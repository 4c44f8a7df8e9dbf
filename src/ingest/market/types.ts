// What a market adapter reads from a public API: a probability and the page a reader can check it on.
export interface MarketReading {
  probability: number;
  url: string;
}
