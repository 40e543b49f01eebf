import { createServer, type AddressInfo, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { autoPortRanges, canBind, ephemeralPortRange, osFreePorts, parsePortRange, pickFreePorts } from "./port-picker.js";

const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise<void>((res) => s.close(() => res()))));
});

/** Listens on an OS-assigned loopback port and keeps it until the test ends. */
async function holdPort(): Promise<number> {
  const s = createServer();
  held.push(s);
  await new Promise<void>((res) => s.listen(0, "127.0.0.1", () => res()));
  return (s.address() as AddressInfo).port;
}

/** A random() that yields `indexes` (as fractions of `size`) in turn, then repeats the last. */
const sequence = (size: number, indexes: number[]) => {
  let i = 0;
  return () => (indexes[Math.min(i++, indexes.length - 1)]! + 0.5) / size;
};

describe("port picker", () => {
  it("parses ip_local_port_range and rejects junk", () => {
    expect(parsePortRange("32768\t60999\n")).toEqual({ low: 32768, high: 60999 });
    expect(parsePortRange("1024 65535")).toEqual({ low: 1024, high: 65535 });
    expect(parsePortRange("60999 32768")).toBeUndefined();
    expect(parsePortRange("x")).toBeUndefined();
    expect(ephemeralPortRange("/no/such/file")).toEqual({ low: 32768, high: 60999 });
  });

  it("picks below the ephemeral range from 20000, else above it, else nothing (OS ports)", () => {
    expect(autoPortRanges({ low: 32768, high: 60999 })).toEqual([{ low: 20000, high: 32767 }]);
    expect(autoPortRanges({ low: 20500, high: 60999 })).toEqual([{ low: 61000, high: 65535 }]);
    expect(autoPortRanges({ low: 10000, high: 50000 })).toEqual([{ low: 50001, high: 65535 }]);
    expect(autoPortRanges({ low: 1024, high: 65535 })).toEqual([]);
  });

  it("default picks lie outside this machine's ephemeral range, distinct and bindable", async () => {
    const eph = ephemeralPortRange();
    const ports = await pickFreePorts(30);
    expect(new Set(ports).size).toBe(30);
    const ranges = autoPortRanges(eph);
    for (const p of ports) {
      if (ranges.length > 0) expect(ranges.some((r) => p >= r.low && p <= r.high), `port ${p}`).toBe(true);
      expect(p < eph.low || p > eph.high || ranges.length === 0, `port ${p}`).toBe(true);
      expect(await canBind(p), `port ${p}`).toBe(true);
    }
  });

  it("skips a port someone listens on, and ports it is told to avoid", async () => {
    const taken = await holdPort();
    expect(await canBind(taken)).toBe(false);
    const [a, b] = await osFreePorts(2);
    // Range order: taken, a, b; random() points at taken, then a (avoided), then b.
    const ranges = [{ low: taken, high: taken }, { low: a!, high: a! }, { low: b!, high: b! }];
    const got = await pickFreePorts(1, { ranges, avoid: new Set([a!]), random: sequence(3, [0, 1, 2]) });
    expect(got).toEqual([b]);
  });

  it("never hands out the same port twice in one pick", async () => {
    const [a, b] = await osFreePorts(2);
    const ranges = [{ low: a!, high: a! }, { low: b!, high: b! }];
    expect(await pickFreePorts(2, { ranges, random: sequence(2, [0, 0, 0, 1]) })).toEqual([a, b]);
  });

  it("falls back to OS-assigned ports when its ranges are exhausted", async () => {
    const taken = await holdPort();
    const got = await pickFreePorts(2, { ranges: [{ low: taken, high: taken }] });
    expect(got).toHaveLength(2);
    expect(got).not.toContain(taken);
    expect(new Set(got).size).toBe(2);
  });
});
