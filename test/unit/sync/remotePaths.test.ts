import { describe, expect, it } from 'vitest';
import {
  childName,
  parseVersionName,
  remotePaths,
  versionName,
} from '../../../src/sync/remotePaths.ts';
import { deviceA } from './support/builders.ts';

describe('versionName', () => {
  it('pads to 12 digits so names sort as numbers', () => {
    expect(versionName(0)).toBe('000000000000');
    expect(versionName(7)).toBe('000000000007');
    expect(versionName(123456789012)).toBe('123456789012');
    const names = [10, 9, 100, 2].map(versionName).sort();
    expect(names.map(Number)).toEqual([2, 9, 10, 100]);
  });
});

describe('parseVersionName', () => {
  it('reads a 12-digit name', () => {
    expect(parseVersionName('000000000042')).toBe(42);
    expect(parseVersionName('000000000000')).toBe(0);
    expect(parseVersionName(versionName(987654))).toBe(987654);
  });

  it.each(['42', '0000000000042', '00000000004a', '-00000000042', '000000000042/', ''])(
    'ignores %j',
    (name) => {
      expect(parseVersionName(name)).toBeUndefined();
    },
  );
});

describe('childName', () => {
  it('is the last segment of an href, with or without a trailing slash', () => {
    expect(childName('/dav/shop/v/000000000001/')).toBe('000000000001');
    expect(childName('/dav/shop/log/x.1-1.abcdef01.json')).toBe('x.1-1.abcdef01.json');
    expect(childName('name')).toBe('name');
    expect(childName('/dav/shop/')).toBe('shop');
  });
});

describe('remotePaths', () => {
  it('lays out an actor as DESIGN.md §5 says', () => {
    expect(remotePaths.actor('shop')).toBe('shop/');
    expect(remotePaths.log('shop')).toBe('shop/log/');
    expect(remotePaths.versions('shop')).toBe('shop/v/');
    expect(remotePaths.version('shop', 12)).toBe('shop/v/000000000012/');
    expect(remotePaths.versionFile('shop', 12)).toBe('shop/v/000000000012/state.json');
    expect(remotePaths.stagingRoot('shop')).toBe('shop/staging/');
    expect(remotePaths.staging('shop', deviceA, 'n1')).toBe(`shop/staging/${deviceA}-n1/`);
    const name = `${deviceA}.1-2.abcdef01.json`;
    expect(remotePaths.segment('shop', name)).toBe(`shop/log/${name}`);
  });

  it('percent-encodes every name, so none can leave its actor', () => {
    expect(remotePaths.actor('a/../b')).toBe('a%2F..%2Fb/');
    expect(remotePaths.log('a b')).toBe('a%20b/log/');
    expect(remotePaths.segment('shop', '../../x?y#z')).toBe('shop/log/..%2F..%2Fx%3Fy%23z');
    expect(remotePaths.staging('shop', 'd/1', 'n?')).toBe('shop/staging/d%2F1-n%3F/');
    expect(remotePaths.versionFile('é', 1)).toBe('%C3%A9/v/000000000001/state.json');
  });
});
