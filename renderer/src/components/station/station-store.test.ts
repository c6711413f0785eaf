import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeylineApi, LaneView } from '../../../../common/contract';
import { LANE_FLUSH_MS, StationStore } from './station-store';

const FRAME_MS = 16;

function lane(id: string, progress: number): LaneView {
  return { id, port: `/dev/pts/${id}`, state: 'running', progress, steps: [], notes: [], attempts: 1 };
}

/** A contract that answers nothing and hands its event listeners to the test. */
function fakeKeyline() {
  const listeners = new Map<string, (payload: unknown) => void>();
  const keyline = {
    invoke: () => new Promise(() => undefined),
    on: (event: string, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  } as unknown as KeylineApi;
  const emit = (event: string, payload: unknown) => listeners.get(event)?.(payload);
  return { keyline, emit };
}

describe('StationStore lane updates', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) =>
      setTimeout(() => callback(performance.now()), FRAME_MS),
    );
    vi.stubGlobal('cancelAnimationFrame', (id: ReturnType<typeof setTimeout>) => clearTimeout(id));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('applies a burst of lane events in one update on the next frame, the latest view of each lane winning', () => {
    const { keyline, emit } = fakeKeyline();
    const store = new StationStore(keyline);
    const disconnect = store.connect();
    const changes = vi.fn();
    store.subscribe(changes);

    emit('provisioning.laneAdded', lane('a', 0));
    emit('provisioning.laneUpdated', lane('a', 0.5));
    emit('provisioning.laneUpdated', lane('b', 0.25));
    expect(store.get().lanes).toEqual([]);

    vi.advanceTimersByTime(FRAME_MS);
    expect(changes).toHaveBeenCalledTimes(1);
    expect(store.get().lanes.map((view) => [view.id, view.progress])).toEqual([
      ['a', 0.5],
      ['b', 0.25],
    ]);
    disconnect();
  });

  it(`renders lane updates at most once per ${LANE_FLUSH_MS} ms while they keep coming`, () => {
    const { keyline, emit } = fakeKeyline();
    const store = new StationStore(keyline);
    const disconnect = store.connect();
    const changes = vi.fn();
    store.subscribe(changes);

    emit('provisioning.laneAdded', lane('a', 0));
    vi.advanceTimersByTime(FRAME_MS);
    expect(changes).toHaveBeenCalledTimes(1);

    // The next update waits for the interval, then for a frame.
    emit('provisioning.laneUpdated', lane('a', 0.5));
    vi.advanceTimersByTime(LANE_FLUSH_MS - 1);
    expect(changes).toHaveBeenCalledTimes(1);
    emit('provisioning.laneUpdated', lane('a', 0.75));
    vi.advanceTimersByTime(FRAME_MS + 1);
    expect(changes).toHaveBeenCalledTimes(2);
    expect(store.get().lanes[0]?.progress).toBe(0.75);

    // After a quiet spell, the next update shows on the next frame again.
    vi.advanceTimersByTime(1000);
    emit('provisioning.laneFinished', { ...lane('a', 1), state: 'passed' });
    vi.advanceTimersByTime(FRAME_MS);
    expect(changes).toHaveBeenCalledTimes(3);
    expect(store.get().lanes[0]?.state).toBe('passed');
    disconnect();
  });

  it('catches up without frames (a hidden window) and on a pass or fail notice at once', () => {
    const { keyline, emit } = fakeKeyline();
    vi.stubGlobal('requestAnimationFrame', () => 0);
    const store = new StationStore(keyline);
    const disconnect = store.connect();

    emit('provisioning.laneAdded', lane('a', 0));
    vi.advanceTimersByTime(250);
    expect(store.get().lanes).toHaveLength(1);

    emit('provisioning.laneFinished', { ...lane('a', 1), state: 'failed' });
    emit('station.notify', {
      laneId: 'a',
      port: '/dev/pts/a',
      outcome: 'failed',
      title: 'Failed: a',
      body: 'It did not answer.',
      sound: false,
      notification: false,
    });
    expect(store.get().lanes[0]?.state).toBe('failed');
    expect(store.get().announcement).toBe('Lane 1: Failed: a. It did not answer.');
    disconnect();
  });
});
