// Types shared by the alert decision, the recorder, the renderer and the sender.
export type AlertKind =
  | 'indicator_shift'
  | 'level_crossing'
  | 'probability_move'
  | 'deadline_approaching'
  | 'deadline_passed'
  | 'feed_failing';

export const ALERT_KINDS: readonly AlertKind[] = [
  'indicator_shift',
  'level_crossing',
  'probability_move',
  'deadline_approaching',
  'deadline_passed',
  'feed_failing',
];

/** What each kind is called wherever a person reads it (dashboard, feed, email, CLI). */
export const ALERT_KIND_NAMES: Record<AlertKind, string> = {
  indicator_shift: 'Signal changed',
  level_crossing: 'Level crossed a band',
  probability_move: 'Probability moved',
  deadline_approaching: 'Deadline approaching',
  deadline_passed: 'Deadline passed',
  feed_failing: 'Feed failing',
};

export interface StoryLink {
  title: string;
  url: string | null;
  publishedAt: string;
}

/** What an alert carries besides its title and body (stored as JSON in alerts.data). */
export interface AlertData {
  probabilities: Record<string, number>;
  previous: Record<string, number> | null;
  /** Scenario names by id, so a renderer needs no pack. */
  scenarioNames: Record<string, string>;
  indicatorId?: string;
  scenarioId?: string;
  /** Change in percentage points for probability moves. */
  points?: number;
  /** Short phrases describing what shifted, e.g. "Principal meeting: scheduled → cancelled". */
  shifted: string[];
  stories: StoryLink[];
  adminOnly?: boolean;
  /** The question (pack id) the alert is about; written by storeAlerts (absent on alerts stored before PACKS). */
  questionId?: string;
}

export interface AlertDraft {
  kind: AlertKind;
  ruleKey: string;
  title: string;
  body: string;
  data: AlertData;
}

/** Stored state of one rule key. */
export interface RuleState {
  lastFiredAt: string | null;
  armed: boolean;
}

export interface StateUpdate {
  ruleKey: string;
  armed: boolean;
  /** Set when the rule fired now. */
  firedAt: string | null;
}
