// The one clock: commands and `start` read the time here, and hand it on as a `now: Date` to every stage
// (milliseconds only inside the engine). Tests and replays pass their own.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
