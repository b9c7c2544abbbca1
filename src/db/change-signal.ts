/**
 * "Another process committed a change": a hint to catch up with the change log now instead of at the
 * next timer tick. Lossy by design — the change log is the truth, and a catch-up after every
 * (re)connect covers whatever was signalled while nobody listened.
 */
export interface ChangeSignal {
  /** Calls `onChange` after each signal (bursts coalesced) and after each (re)connect. */
  start(onChange: () => void): void;
  stop(): Promise<void>;
}

/** The LISTEN/NOTIFY channel writers signal on, in the statement that appends to `change_log`. */
export { CHANGE_CHANNEL as CHANGES_CHANNEL } from './change-log-repo.ts';
