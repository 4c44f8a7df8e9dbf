// The event passed to snapshot listeners (alerts) inside the snapshot's transaction.
export interface LevelState {
  value: number | null;
  z: number | null;
  band: string | null;
}

export interface SnapshotEvent {
  packId: string;
  snapshotId: number;
  at: string;
  probabilities: Record<string, number>;
  previous: { at: string; probabilities: Record<string, number> } | null;
  levels: Record<string, LevelState>;
}
