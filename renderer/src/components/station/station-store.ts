import type {
  AppInfo,
  BatchCounters,
  EventPayload,
  KeylineApi,
  LaneView,
  ProvisioningSettings,
  SessionState,
  StationState,
} from '../../../../common/contract';
import type { ErrorInfo } from '../../../../common/errors';
import { Store } from '../../lib/store';
import { playOutcomeSound, primeSound } from './sound';
import { primeNotifications, showWebNotification } from './web-notification';

/**
 * The shortest time between two renders of lane updates (at most 20 a second; the progress bars
 * glide over the steps in 0.2 s). Against one render per frame it cut the window's work during a
 * 32-lane batch by about a third without making its longest task longer; 100 ms cut a little more
 * but gathered a whole bench's start into one task twice as long (docs/benchmarks.md, the window).
 */
export const LANE_FLUSH_MS = 50;

export interface StationView {
  lanes: LaneView[];
  counters?: BatchCounters;
  station?: StationState;
  session?: SessionState;
  settings?: ProvisioningSettings;
  /** The tile the keyboard (and a scanned serial) goes to. */
  selectedPort?: string;
  /** The last pass/fail, said once by the live region. */
  announcement: string;
  /** The last scan's result, or the last failed action, in words. */
  message?: { tone: 'info' | 'pass' | 'error'; text: string };
  busy: boolean;
}

/**
 * The Station screen's state, kept from contract results and events: lanes (the pipeline's
 * events), the station state (ports, counters, work order, scans), the sign-in and the settings.
 * Components read it with useStore and call the actions; none of them talks to the contract.
 */
export class StationStore extends Store<StationView> {
  readonly #keyline: KeylineApi;
  /** Lane views received since the last frame, by lane id (the latest wins). */
  readonly #pendingLanes = new Map<string, LaneView>();
  #frame: number | undefined;
  #delay: ReturnType<typeof setTimeout> | undefined;
  #lastFlush = -Infinity;
  /** The web host shows notifications from the window; the Electron app from main. */
  #host: AppInfo['host'] | undefined;
  #fallback: ReturnType<typeof setTimeout> | undefined;

  constructor(keyline: KeylineApi) {
    super({ lanes: [], announcement: '', busy: false });
    this.#keyline = keyline;
  }

  connect(): () => void {
    const k = this.#keyline;
    void k.invoke('provisioning.lanes', {}).then((result) => {
      if (result.ok) this.patch({ lanes: result.value.lanes, counters: result.value.counters });
    });
    void k.invoke('station.state', {}).then((result) => result.ok && this.patch({ station: result.value }));
    void k.invoke('auth.session.get', {}).then((result) => result.ok && this.patch({ session: result.value }));
    void k.invoke('app.info', {}).then((result) => {
      if (result.ok) this.#host = result.value.host;
    });
    this.reloadSettings();
    const upsert = (view: LaneView) => {
      this.#pendingLanes.set(view.id, view);
      this.#scheduleLanes();
    };
    const offs = [
      k.on('provisioning.laneAdded', upsert),
      k.on('provisioning.laneUpdated', upsert),
      k.on('provisioning.laneFinished', upsert),
      k.on('provisioning.batch', (counters) => this.patch({ counters })),
      k.on('station.state', (station) => this.patch({ station })),
      k.on('station.notify', (notice) => this.#notified(notice)),
      // The web host has no system browser of its own: the sign-in page opens in a new tab.
      k.on('auth.openBrowser', ({ url }) => {
        if (/^https?:\/\//.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
      }),
      k.on('auth.session.changed', (session) => {
        this.patch({ session });
        if (session.status === 'signedIn') this.reloadSettings();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      this.flushLanes();
    };
  }

  /**
   * Applies the lane views received so far in one update. A 32-lane batch sends hundreds of lane
   * events a second; rendering them on a frame at most every LANE_FLUSH_MS instead of once per
   * event (or once per frame) keeps the window's tasks short and its work small
   * (docs/benchmarks.md, `npm run bench:window`).
   */
  flushLanes(): void {
    if (this.#frame !== undefined) cancelAnimationFrame(this.#frame);
    if (this.#delay !== undefined) clearTimeout(this.#delay);
    if (this.#fallback !== undefined) clearTimeout(this.#fallback);
    this.#frame = undefined;
    this.#delay = undefined;
    this.#fallback = undefined;
    if (this.#pendingLanes.size === 0) return;
    this.#lastFlush = performance.now();
    const views = [...this.#pendingLanes.values()];
    this.#pendingLanes.clear();
    this.set((state) => {
      let lanes = state.lanes;
      for (const view of views) {
        const index = lanes.findIndex((lane) => lane.id === view.id);
        lanes = index === -1 ? [...lanes, view] : lanes.with(index, view);
      }
      return { ...state, lanes };
    });
  }

  #scheduleLanes(): void {
    if (this.#fallback !== undefined) return;
    // The first update after a quiet spell shows on the next frame; the ones after it wait their turn.
    const wait = Math.max(0, this.#lastFlush + LANE_FLUSH_MS - performance.now());
    const onFrame = () => {
      this.#delay = undefined;
      this.#frame = requestAnimationFrame(() => this.flushLanes());
    };
    if (wait === 0) onFrame();
    else this.#delay = setTimeout(onFrame, wait);
    // A hidden window gets no frames: the lanes still catch up.
    this.#fallback = setTimeout(() => this.flushLanes(), wait + 250);
  }

  reloadSettings(): void {
    void this.#keyline
      .invoke('provisioning.getSettings', {})
      .then((result) => result.ok && this.patch({ settings: result.value }));
  }

  select(port: string | undefined): void {
    this.patch({ selectedPort: port });
  }

  startAll(): Promise<void> {
    this.#prime();
    return this.#act(async () => {
      const result = await this.#keyline.invoke('station.startAll', {});
      if (!result.ok) return result;
      const { lanes, skipped } = result.value;
      const text =
        lanes.length === 0
          ? skipped.length > 0
            ? `No lane started: ${skipped[0]!.message}`
            : 'No port to start on: plug a device in, or check the port doctor.'
          : `Started ${lanes.length} lane${lanes.length === 1 ? '' : 's'}${skipped.length ? `; ${skipped.length} port(s) left out (${skipped[0]!.message})` : ''}.`;
      this.patch({ message: { tone: lanes.length ? 'info' : 'error', text } });
      return result;
    });
  }

  start(port: string): Promise<void> {
    this.#prime();
    return this.#act(() => this.#keyline.invoke('station.startAll', { ports: [port] }));
  }

  stop(laneIds?: string[]): Promise<void> {
    return this.#act(() => this.#keyline.invoke('provisioning.stop', laneIds ? { laneIds } : {}));
  }

  retry(laneIds?: string[]): Promise<void> {
    this.#prime();
    return this.#act(() => this.#keyline.invoke('provisioning.retry', laneIds ? { laneIds } : {}));
  }

  /** Sets a failed unit aside: "retry failed" passes it by; its own Retry still works. */
  skip(laneIds: string[]): Promise<void> {
    return this.#act(async () => {
      const result = await this.#keyline.invoke('provisioning.skip', { laneIds });
      if (result.ok) {
        const count = result.value.lanes.length;
        const text =
          count === 0
            ? 'Nothing set aside: only a failed lane that is not running can be skipped.'
            : `Set aside ${count === 1 ? `the unit on ${result.value.lanes[0]!.port}` : `${count} units`}: Retry failed passes ${count === 1 ? 'it' : 'them'} by.`;
        this.patch({ message: { tone: count ? 'info' : 'error', text } });
      }
      return result;
    });
  }

  answer(laneId: string, answer: 'rotate' | 'skip' | 'replace' | 'stop'): Promise<void> {
    return this.#act(() => this.#keyline.invoke('provisioning.answer', { laneId, answer }));
  }

  locate(port: string): Promise<void> {
    return this.#act(async () => {
      const result = await this.#keyline.invoke('station.locate', { port });
      if (result.ok) {
        this.patch({ message: { tone: 'info', text: `The unit on ${port} blinks for ${result.value.seconds} s.` } });
      }
      return result;
    });
  }

  scan(text: string): Promise<void> {
    const port = this.get().selectedPort;
    return this.#act(async () => {
      const result = await this.#keyline.invoke('station.scan', { text, ...(port ? { port } : {}) });
      if (result.ok) this.patch({ message: { tone: 'info', text: result.value.message } });
      return result;
    });
  }

  clearWorkOrder(): Promise<void> {
    return this.#act(() => this.#keyline.invoke('station.clearWorkOrder', {}));
  }

  resetCounters(): Promise<void> {
    return this.#act(() => this.#keyline.invoke('station.resetCounters', {}));
  }

  /** The checkbox follows the click at once; a refusal puts it back and says why. */
  setAutoStart(autoStart: boolean): Promise<void> {
    const before = this.get().settings;
    if (before) this.patch({ settings: { ...before, autoStart } });
    return this.#act(async () => {
      const result = await this.#keyline.invoke('provisioning.setSettings', { autoStart });
      this.patch({ settings: result.ok ? result.value : before });
      return result;
    });
  }

  setSounds(sounds: boolean): Promise<void> {
    const station = this.get().station;
    if (station) this.patch({ station: { ...station, prefs: { ...station.prefs, sounds } } });
    return this.#act(() => this.#keyline.invoke('station.setPrefs', { sounds }));
  }

  signIn(): Promise<void> {
    const profileId = this.get().session?.profileId ?? 'sandbox';
    return this.#act(() => this.#keyline.invoke('auth.signIn', { profileId, method: 'browser' }));
  }

  #prime(): void {
    const prefs = this.get().station?.prefs;
    if (prefs?.sounds !== false) primeSound();
    if (this.#host === 'web' && prefs?.notifications !== false) primeNotifications();
  }

  async #act(action: () => Promise<{ ok: true } | { ok: false; error: ErrorInfo }>): Promise<void> {
    this.patch({ busy: true });
    try {
      const result = await action();
      if (!result.ok && result.error.code !== 'AUTH_CANCELLED') {
        this.patch({ message: { tone: 'error', text: result.error.message } });
      }
    } finally {
      this.patch({ busy: false });
    }
  }

  #notified(notice: EventPayload<'station.notify'>): void {
    this.flushLanes();
    const lane = this.get().lanes.findIndex((view) => view.id === notice.laneId);
    const number = lane === -1 ? '' : `Lane ${lane + 1}: `;
    this.patch({ announcement: `${number}${notice.title}. ${notice.outcome === 'passed' ? '' : notice.body}` });
    if (notice.sound) playOutcomeSound(notice.outcome === 'passed' ? 'pass' : 'fail');
    if (notice.notification && this.#host === 'web') showWebNotification(notice.title, notice.body, notice.laneId);
  }
}
