import { STEP_NAMES, type BatchCounters, type LaneView } from '../../common/contract/provisioning';
import type { RunProgress } from './run/context';
import type { RunResult } from './run/lane-run';

export function newLaneView(id: string, port: string, usbSerialNumber?: string): LaneView {
  return {
    id,
    port,
    ...(usbSerialNumber ? { usbSerialNumber } : {}),
    state: 'idle',
    progress: 0,
    steps: STEP_NAMES.map((name) => ({ name, status: 'pending' as const })),
    notes: [],
    attempts: 0,
  };
}

/** The view of a lane at the start of a run: identity kept, everything about the last run cleared. */
export function startedView(
  view: LaneView,
  runId: string,
  startedAt: Date,
  verifyMode: LaneView['verifyMode'],
): LaneView {
  const { id, port, usbSerialNumber, attempts } = view;
  return {
    id,
    port,
    ...(usbSerialNumber ? { usbSerialNumber } : {}),
    state: 'running',
    progress: 0,
    runId,
    startedAt: startedAt.toISOString(),
    elapsedMs: 0,
    ...(verifyMode ? { verifyMode } : {}),
    steps: STEP_NAMES.map((name) => ({ name, status: 'pending' as const })),
    notes: [],
    attempts: attempts + 1,
  };
}

/** Applies one progress report of a run to its lane's view. */
export function applyProgress(view: LaneView, progress: RunProgress, elapsedMs: number): LaneView {
  const next: LaneView = { ...view, elapsedMs: Math.round(elapsedMs) };
  switch (progress.type) {
    case 'step': {
      next.steps = view.steps.map((step) =>
        step.name === progress.step
          ? {
              name: step.name,
              status: progress.status,
              ...(progress.ms !== undefined ? { ms: Math.round(progress.ms) } : {}),
            }
          : step,
      );
      if (progress.status === 'running') next.step = progress.step;
      const done = next.steps.filter((s) => s.status === 'passed' || s.status === 'skipped').length;
      next.progress = Math.min(1, done / STEP_NAMES.length);
      return next;
    }
    case 'info': {
      const { type: _type, ...fields } = progress;
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) (next as Record<string, unknown>)[key] = value;
      }
      return next;
    }
    case 'question':
      if (progress.question) {
        next.question = progress.question;
        next.state = 'waiting';
      } else {
        delete next.question;
        next.state = 'running';
      }
      return next;
    case 'note':
      next.notes = [...view.notes, progress.note.slice(0, 1000)];
      return next;
  }
}

export function finishedView(view: LaneView, result: RunResult, elapsedMs: number): LaneView {
  const next: LaneView = {
    ...view,
    state: result.outcome,
    elapsedMs: Math.round(elapsedMs),
    progress: result.outcome === 'passed' ? 1 : view.progress,
  };
  delete next.question;
  if (result.error) next.error = { code: result.error.code, message: result.error.message.slice(0, 2000) };
  else delete next.error;
  return next;
}

export function countLanes(views: Iterable<LaneView>): BatchCounters {
  const counters: BatchCounters = { lanes: 0, running: 0, waiting: 0, passed: 0, failed: 0, skipped: 0, unresolved: 0 };
  for (const view of views) {
    counters.lanes += 1;
    if (view.state !== 'idle') counters[view.state] += 1;
  }
  return counters;
}
