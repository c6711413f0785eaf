import { EventEmitter } from 'node:events';
import type { DiscoveredPort, DiscoveryResult } from './port-discovery';

export interface PortWatcherEvents {
  arrived: [DiscoveredPort];
  left: [DiscoveredPort];
  /** Discovery itself failed this round (kept going; the last known ports stay). */
  error: [Error];
}

export interface PortWatcherOptions {
  discover: () => Promise<DiscoveryResult>;
  /** Poll interval; USB enumeration takes about a second anyway. */
  intervalMs?: number;
}

/**
 * Hot-plug by polling (no udev monitor in containers, and the same everywhere): discover every
 * interval and diff against the last round. A port is the same port while its path points at the
 * same device node; a re-plug that reuses the path but not the node is a leave and an arrival.
 */
export class PortWatcher extends EventEmitter<PortWatcherEvents> {
  readonly #options: PortWatcherOptions;
  #known = new Map<string, DiscoveredPort>();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopped = true;

  constructor(options: PortWatcherOptions) {
    super();
    this.#options = options;
  }

  get ports(): DiscoveredPort[] {
    return [...this.#known.values()];
  }

  /** Starts polling; the first round reports every present port as arrived. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.poll();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling;
  }

  /** One round now (also what the timer runs). */
  poll(): Promise<void> {
    this.#polling ??= this.#round().finally(() => {
      this.#polling = undefined;
      if (!this.#stopped) {
        this.#timer = setTimeout(() => void this.poll(), this.#options.intervalMs ?? 1000);
        this.#timer.unref();
      }
    });
    return this.#polling;
  }

  async #round(): Promise<void> {
    let result: DiscoveryResult;
    try {
      result = await this.#options.discover();
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error as Error);
      return;
    }
    const next = new Map(result.ports.map((port) => [identity(port), port]));
    for (const [key, port] of this.#known) if (!next.has(key)) this.emit('left', port);
    const before = this.#known;
    this.#known = next;
    for (const [key, port] of next) if (!before.has(key)) this.emit('arrived', port);
  }
}

function identity(port: DiscoveredPort): string {
  return `${port.path}\u0000${port.realPath}`;
}
