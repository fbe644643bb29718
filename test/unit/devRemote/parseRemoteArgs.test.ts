import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DIR,
  DEFAULT_PORT,
  isLoopback,
  parseRemoteArgs,
  UsageError,
} from '../../../src/devRemote/parseRemoteArgs.ts';

describe('parseRemoteArgs', () => {
  it('fills defaults: the folder, port 4918, 127.0.0.1, no auth', () => {
    expect(parseRemoteArgs(['--origin', 'http://localhost:5173'])).toEqual({
      dir: DEFAULT_DIR,
      origins: ['http://localhost:5173'],
      auth: undefined,
      host: '127.0.0.1',
      port: DEFAULT_PORT,
    });
  });

  it('takes a folder, several origins, credentials, a port and a host', () => {
    const options = parseRemoteArgs([
      'data',
      '--origin',
      'http://localhost:5173/',
      '--origin',
      'https://app.test,http://127.0.0.1:4173',
      '--user',
      'ann:pa:ss',
      '--port',
      '0',
      '--host',
      '0.0.0.0',
    ]);
    expect(options).toEqual({
      dir: 'data',
      origins: ['http://localhost:5173', 'https://app.test', 'http://127.0.0.1:4173'],
      auth: { username: 'ann', password: 'pa:ss' },
      host: '0.0.0.0',
      port: 0,
    });
  });

  it.each([
    [[], /--origin is required/],
    [['--origin', 'localhost:5173'], /not a web origin/],
    [['--origin', 'http://localhost:5173/app'], /not a web origin/],
    [['--origin', 'ftp://files.test'], /not a web origin/],
    [['--origin', 'http://a.test', '--port', '65536'], /--port must be/],
    [['--origin', 'http://a.test', '--port', 'http'], /--port must be/],
    [['--origin', 'http://a.test', '--user', 'nopassword'], /--user must be name:password/],
    [['--origin', 'http://a.test', '--user', ':p'], /--user must be name:password/],
    [['--origin', 'http://a.test', '--host', ''], /--host must be/],
    [['--origin', 'http://a.test', 'one', 'two'], /one directory at most/],
    [['--origin', 'http://a.test', '--verbose'], /Unknown option '--verbose'/],
    [['--origin'], /argument missing/],
  ])('refuses %j with a message naming the problem', (args, message) => {
    expect(() => parseRemoteArgs(args)).toThrow(UsageError);
    expect(() => parseRemoteArgs(args)).toThrow(message);
  });
});

describe('isLoopback', () => {
  it('keeps only this machine', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '192.168.1.2', 'example.org'].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
