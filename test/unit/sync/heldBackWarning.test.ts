import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeldBack } from '../../../src/http/types.ts';
import { heldBackWarner, heldBackWarning } from '../../../src/sync/heldBackWarning.ts';
import { deviceB } from './support/builders.ts';

const held = (code: HeldBack['code'], overrides: Partial<HeldBack> = {}): HeldBack => ({
  deviceId: deviceB,
  own: false,
  seq: 7,
  key: 'k7',
  type: 'refund',
  code,
  commandsVersion: 0,
  ...overrides,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('heldBackWarning', () => {
  it('names the actor, the device, the message and the reason, and says what to do', () => {
    expect(heldBackWarning('shop', held('commands-newer', { commandsVersion: 3 }), 2)).toMatch(
      new RegExp(
        `actor "shop": message 7 \\(refund, key k7\\) of device ${deviceB} is held back ` +
          '\\(commands-newer\\): it was logged with commandsVersion 3, newer than this release.s 2',
      ),
    );
    expect(heldBackWarning('shop', held('unknown-command'), 0)).toMatch(/no command "refund"/);
    expect(heldBackWarning('shop', held('turn-timeout', { own: true }), 0)).toMatch(
      /of this device is held back \(turn-timeout\).*raise turnTimeoutMs/,
    );
    for (const code of ['command-invalid', 'command-nondeterministic'] as const) {
      expect(heldBackWarning('shop', held(code), 0)).toMatch(/faulty in this release\. Fix it/);
    }
  });

  it('warns once per reason in a worker’s life', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const warnHeldBack = heldBackWarner(0);
    warnHeldBack('a', [held('unknown-command'), held('turn-timeout', { deviceId: 'x' })]);
    warnHeldBack('b', [held('unknown-command', { key: 'other' })]);
    warnHeldBack('b', []);
    warnHeldBack('c', [held('command-invalid')]);
    expect(warn.mock.calls.map(([text]) => /\((\S+)\):/.exec(String(text))?.[1])).toEqual([
      'unknown-command',
      'turn-timeout',
      'command-invalid',
    ]);
  });
});
