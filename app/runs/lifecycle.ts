// A run's statuses as the page tells them: which ones are final, which are live, and what a run
// saved by an earlier visit is after a reload (its weights lived in a worker that is gone).
import type { RunState } from '../state/store';

/** Nothing more can happen to these runs (Duplicate starts a copy). */
export const FINAL: ReadonlySet<RunState> = new Set(['done', 'stopped', 'error', 'interrupted']);

/** A worker is busy with these runs. */
export const LIVE: ReadonlySet<RunState> = new Set(['running', 'creating', 'pausing', 'stopping']);

/** What each status means, for the status badge's tooltip. */
export const STATUS_HELP: Record<RunState, string> = {
  idle: 'Not started: Start or Step begins it from its base checkpoint.',
  queued: 'Waits for the run before it to end (one after another).',
  creating: 'Loading the base checkpoint and evaluating it before the first step.',
  running: 'Training.',
  pausing: 'Pausing after the step in progress.',
  paused: 'Paused: Resume continues, Step runs exactly one step.',
  stopping: 'Stopping after the step in progress.',
  stopped: 'Stopped for good; its rows, exports and (until a reload) weights stay.',
  done: 'Reached its step count.',
  error: 'Failed; the message says why, and the rows before it are kept.',
  interrupted:
    'The page closed while this run was live: its rows are kept, but its weights were in the worker, so it cannot continue. Duplicate starts it again.',
};

/**
 * The status a run saved by an earlier visit comes back with. Runs that were live (running, paused
 * or between those) are `interrupted`; final ones keep their status; never-started ones (idle,
 * queued, or still loading their base) can still start, from their base as before.
 */
export function restoredStatus(saved: string): RunState {
  switch (saved) {
    case 'done':
    case 'stopped':
    case 'error':
    case 'idle':
    case 'queued':
      return saved;
    case 'creating': // no step taken: nothing was lost, it starts again from its base
      return 'idle';
    default: // running, pausing, paused, stopping, interrupted, and 'restored' from older versions
      return 'interrupted';
  }
}
