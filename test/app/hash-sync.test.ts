// The URL hash and the draft config: the store writes the hash only when the config changed, and a
// link pasted while runs stream updates into the store always wins (never reverted by those updates).
import { describe, expect, it } from 'vitest';
import { PAGE_DEFAULTS, type TrainConfig } from '../../app/state/defaults';
import { HashSync } from '../../app/state/hashSync';

/** An address bar: what it holds, and every replaceState the page made. */
function bar(initial: string) {
  const io = { hash: initial, writes: [] as string[] };
  return {
    io,
    sync: new HashSync(
      {
        read: () => io.hash,
        replace: (h) => {
          io.writes.push(h);
          io.hash = h ? `#${h}` : '';
        },
      },
      PAGE_DEFAULTS,
    ),
  };
}
const withSeed = (seed: number): TrainConfig => ({ ...structuredClone(PAGE_DEFAULTS), seed });

describe('HashSync', () => {
  it('adopts the hash it starts with and does not rewrite it on updates that keep the config', () => {
    const { io, sync } = bar('#seed=7');
    const { config, errors } = sync.adopt();
    expect([config.seed, errors]).toEqual([7, []]);
    for (let i = 0; i < 50; i++) expect(sync.write(config)).toBe(false); // rows arriving
    expect(io.writes).toEqual([]);
    expect(sync.changedOutside()).toBe(false);
  });

  it('writes the hash when the config changes, keeping the page keys', () => {
    const { io, sync } = bar('#seed=7&run=abc');
    sync.adopt();
    expect(sync.write(withSeed(11))).toBe(true);
    expect(io.hash).toBe('#seed=11&run=abc');
    expect(sync.changedOutside()).toBe(false); // its own write is not a pasted link
    expect(sync.write(withSeed(11))).toBe(false);
    expect(io.writes).toEqual(['seed=11&run=abc']);
  });

  it('never reverts a pasted link, whatever updates arrive before its hashchange', () => {
    const { io, sync } = bar('#seed=7');
    const before = sync.adopt().config;
    io.hash = '#seed=42&lr=0.0001'; // pasted
    expect(sync.write(before)).toBe(false); // a rows update
    expect(sync.write(withSeed(8))).toBe(false); // even a config change waits for the link
    expect(io.hash).toBe('#seed=42&lr=0.0001');
    expect(sync.changedOutside()).toBe(true); // hashchange: adopt it
    const { config } = sync.adopt();
    expect([config.seed, config.grpo.lr]).toEqual([42, 0.0001]);
    expect(sync.changedOutside()).toBe(false);
    expect(sync.write(config)).toBe(false);
    expect(io.writes).toEqual([]);
  });

  it('adopts a bad link with its problems, then writes the corrected hash when the config next changes', () => {
    const { io, sync } = bar('#seed=abc');
    const { config, errors } = sync.adopt();
    expect(config.seed).toBe(PAGE_DEFAULTS.seed);
    expect(errors.join()).toContain("'seed'");
    expect(sync.write(config)).toBe(false); // same config: the link stays as typed
    expect(sync.write(withSeed(3))).toBe(true);
    expect(io.hash).toBe('#seed=3');
  });

  it('clears the hash when the config returns to the defaults', () => {
    const { io, sync } = bar('#seed=7');
    sync.adopt();
    sync.write(withSeed(PAGE_DEFAULTS.seed));
    expect(io.hash).toBe('');
    expect(sync.changedOutside()).toBe(false);
  });
});
