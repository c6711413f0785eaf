import { describe, expect, it } from 'vitest';
import { PacedInput, PacedOutput } from './paced-uart';

describe('paced UART', () => {
  it('lets bytes out no faster than the line rate (10 bit times per byte)', async () => {
    const arrivals: number[] = [];
    let received = 0;
    const output = new PacedOutput({
      baudRate: 115200,
      sink: (bytes) => {
        received += bytes.length;
        arrivals.push(performance.now());
      },
    });
    const started = performance.now();
    output.write(new Uint8Array(1152)); // 100 ms of wire at 115200
    await output.drained();
    const elapsed = performance.now() - started;
    expect(received).toBe(1152);
    expect(elapsed).toBeGreaterThanOrEqual(98);
    expect(elapsed).toBeLessThan(400);
    expect(arrivals.length).toBeGreaterThan(10);
  });

  it('lets a frame out in one piece after its wire time, even when the simulator stalls meanwhile', async () => {
    const arrivals: Array<{ bytes: number; at: number }> = [];
    const output = new PacedOutput({
      baudRate: 115200,
      sink: (bytes) => arrivals.push({ bytes: bytes.length, at: performance.now() }),
    });
    const started = performance.now();
    output.write(new Uint8Array(576), { whole: true }); // 50 ms of wire
    await new Promise((resolve) => setTimeout(resolve, 10));
    const until = performance.now() + 150; // a stall of the simulator's process
    while (performance.now() < until);
    await output.drained();
    expect(arrivals).toHaveLength(1);
    expect(arrivals[0]!.bytes).toBe(576);
    expect(arrivals[0]!.at - started).toBeGreaterThanOrEqual(49);
  });

  it('loses what had not left when the unit resets, and drops output nobody reads', async () => {
    let received = 0;
    let blocked = false;
    const output = new PacedOutput({
      baudRate: 9600,
      sink: (bytes) => (received += bytes.length),
      blocked: () => blocked,
    });
    output.write(new Uint8Array(960)); // a second of wire
    await new Promise((resolve) => setTimeout(resolve, 50));
    output.reset();
    await output.drained();
    expect(received).toBeLessThan(200);
    blocked = true;
    output.write(new Uint8Array(10));
    await output.drained();
    expect(received).toBeLessThan(200);
  });

  it('delivers input after its wire time, in order', async () => {
    const got: number[] = [];
    const input = new PacedInput(115200, (bytes) => got.push(bytes[0]!));
    const started = performance.now();
    input.receive(Uint8Array.of(1, ...new Array(575).fill(0))); // 50 ms
    input.receive(Uint8Array.of(2, ...new Array(575).fill(0))); // 50 ms more
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(got).toEqual([1, 2]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});
