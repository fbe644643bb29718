import '../setup.ts';
import { describe, expect, it } from 'vitest';
import type { Commands } from '../../../src/actor/command.ts';
import type { JsonObject } from '../../../src/actor/message.ts';
import { createActorHost } from '../../../src/host/createActorHost.ts';
import { normalizeOptions, type ActorHostOptions } from '../../../src/host/options.ts';

const noop = (state: JsonObject) => ({ state });

describe('normalizeOptions', () => {
  it('fills every default', () => {
    expect(normalizeOptions()).toMatchObject({
      commands: {},
      scope: '/actors/',
      maxBodyBytes: 1024 * 1024,
      receiptTtlMs: 24 * 60 * 60 * 1000,
      turnTimeoutMs: 5000,
      onDuplicateInFlight: 'wait',
      maxPendingPerActor: 1000,
      dbName: 'actordav',
      commandsVersion: 0,
      checkpointEvery: 2000,
      checkDeterminism: false,
    });
  });

  it('keeps what it is given', () => {
    const commands = { add: noop, 'cart.add-item:v2': noop };
    const config = normalizeOptions({
      commands,
      scope: '/api/v1/actors/',
      maxBodyBytes: 10,
      receiptTtlMs: 1,
      turnTimeoutMs: 2,
      onDuplicateInFlight: 'reject',
      maxPendingPerActor: 3,
      dbName: 'mine',
    });
    expect(config).toMatchObject({
      commands,
      scope: '/api/v1/actors/',
      maxBodyBytes: 10,
      receiptTtlMs: 1,
      turnTimeoutMs: 2,
      onDuplicateInFlight: 'reject',
      maxPendingPerActor: 3,
      dbName: 'mine',
    });
    expect(normalizeOptions({ scope: '/' }).scope).toBe('/');
  });

  it.each([
    ['actors/'],
    ['/actors'],
    [''],
    ['//'],
    ['/a b/'],
    ['/actors/%2E%2E/'],
    ['https://example.com/actors/'],
  ])('refuses scope %j with a TypeError naming options.scope', (scope) => {
    expect(() => normalizeOptions({ scope })).toThrow(TypeError);
    expect(() => normalizeOptions({ scope })).toThrow(/options\.scope/);
  });

  it.each([
    ['receiptTtlMs', 0],
    ['receiptTtlMs', -1],
    ['maxBodyBytes', 1.5],
    ['maxBodyBytes', Number.NaN],
    ['turnTimeoutMs', Number.POSITIVE_INFINITY],
    ['turnTimeoutMs', 0],
    ['maxPendingPerActor', 0],
    ['commandsVersion', -1],
    ['commandsVersion', 1.5],
    ['commandsVersion', Number.NaN],
    ['commandsVersion', Number.MAX_SAFE_INTEGER + 1],
    ['checkpointEvery', 0],
    ['checkpointEvery', 2.5],
  ] as const)('refuses %s = %d with a RangeError naming it', (name, value) => {
    const options: ActorHostOptions = { [name]: value };
    expect(() => normalizeOptions(options)).toThrow(RangeError);
    expect(() => normalizeOptions(options)).toThrow(`options.${name}`);
  });

  it('takes commandsVersion 0 and any larger safe integer', () => {
    expect(normalizeOptions({ commandsVersion: 0 }).commandsVersion).toBe(0);
    expect(normalizeOptions({ commandsVersion: 7 }).commandsVersion).toBe(7);
    const string = { commandsVersion: '2' } as unknown as ActorHostOptions;
    expect(() => normalizeOptions(string)).toThrow(/options\.commandsVersion/);
  });

  it('refuses a number option given as a string', () => {
    const options = { receiptTtlMs: '1000' } as unknown as ActorHostOptions;
    expect(() => normalizeOptions(options)).toThrow(/options\.receiptTtlMs/);
  });

  it('refuses an unknown onDuplicateInFlight and an empty dbName with TypeErrors naming them', () => {
    const bad = { onDuplicateInFlight: 'queue' } as unknown as ActorHostOptions;
    expect(() => normalizeOptions(bad)).toThrow(TypeError);
    expect(() => normalizeOptions(bad)).toThrow(/options\.onDuplicateInFlight/);
    expect(() => normalizeOptions({ dbName: '' })).toThrow(TypeError);
    expect(() => normalizeOptions({ dbName: '' })).toThrow(/options\.dbName/);
  });

  it('refuses a checkDeterminism that is not a boolean, naming it', () => {
    const bad = { checkDeterminism: 'yes' } as unknown as ActorHostOptions;
    expect(() => normalizeOptions(bad)).toThrow(/options\.checkDeterminism/);
    expect(normalizeOptions({ checkDeterminism: true }).checkDeterminism).toBe(true);
  });

  it('refuses a command that is not a function, naming it', () => {
    const commands = { add: 42 } as unknown as Commands;
    expect(() => normalizeOptions({ commands })).toThrow(TypeError);
    expect(() => normalizeOptions({ commands })).toThrow('options.commands.add');
  });

  it.each(['@x', '@task', '1add', '', 'a b', 'a/b', 'x'.repeat(65), 'é'])(
    'refuses the command name %j with a TypeError naming it',
    (name) => {
      expect(() => normalizeOptions({ commands: { [name]: noop } })).toThrow(TypeError);
      expect(() => normalizeOptions({ commands: { [name]: noop } })).toThrow(
        `options.commands: "${name}"`,
      );
    },
  );

  it('takes a 64-character command name', () => {
    expect(() => normalizeOptions({ commands: { ['x'.repeat(64)]: noop } })).not.toThrow();
  });

  it('is what createActorHost checks, before anything else', () => {
    expect(() => createActorHost({ receiptTtlMs: 0 })).toThrow(RangeError);
    expect(() => createActorHost({ commands: { '@x': noop } })).toThrow(TypeError);
  });
});
