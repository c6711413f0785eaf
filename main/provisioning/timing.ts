/**
 * Splits a run's time into device time (serial round trips), platform time (REST calls) and the
 * rest, which is the station's own overhead. Wraps a port so that every async method adds its
 * duration to one bucket; calls within a lane are sequential, so the buckets never overlap.
 */
export interface TimeBuckets {
  deviceMs: number;
  platformMs: number;
}

export function newTimeBuckets(): TimeBuckets {
  return { deviceMs: 0, platformMs: 0 };
}

export function timed<T extends object>(
  target: T,
  buckets: TimeBuckets,
  bucket: keyof TimeBuckets,
  monotonic: () => number = () => performance.now(),
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const started = monotonic();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (!(result instanceof Promise)) {
          buckets[bucket] += monotonic() - started;
          return result;
        }
        return result.finally(() => {
          buckets[bucket] += monotonic() - started;
        });
      };
    },
  });
}
