import { describe, expect, it } from 'vitest';
import { parseSegmentName, segmentName } from '../../../src/sync/segmentName.ts';
import { deviceA } from './support/builders.ts';

describe('parseSegmentName', () => {
  it('reads a good name', () => {
    const name = `${deviceA}.12-345.0badc0de.json`;
    expect(parseSegmentName(name)).toEqual({
      name,
      deviceId: deviceA,
      first: 12,
      last: 345,
      hash8: '0badc0de',
    });
  });

  it('accepts a one-message range', () => {
    expect(parseSegmentName(`${deviceA}.7-7.01234567.json`)).toMatchObject({ first: 7, last: 7 });
  });

  it('round-trips segmentName', () => {
    const name = segmentName(deviceA, 501, 1000, 'abcdef01');
    expect(name).toBe(`${deviceA}.501-1000.abcdef01.json`);
    expect(parseSegmentName(name)).toMatchObject({ deviceId: deviceA, first: 501, last: 1000 });
  });

  it.each([
    ['a device id that is not a UUID', 'device-1.1-2.01234567.json'],
    ['an upper-case device id', `${deviceA.toUpperCase()}.1-2.01234567.json`],
    ['first seq 0', `${deviceA}.0-2.01234567.json`],
    ['last before first', `${deviceA}.5-4.01234567.json`],
    ['a negative seq', `${deviceA}.-1-2.01234567.json`],
    ['a 7-digit hash', `${deviceA}.1-2.0123456.json`],
    ['a 9-digit hash', `${deviceA}.1-2.012345678.json`],
    ['a hash that is not hex', `${deviceA}.1-2.0123456g.json`],
    ['an extra suffix', `${deviceA}.1-2.01234567.json.tmp`],
    ['no .json', `${deviceA}.1-2.01234567`],
    ['a prefix', `x${deviceA}.1-2.01234567.json`],
    ['a seq of 16 digits', `${deviceA}.1-1234567890123456.01234567.json`],
    ['an empty name', ''],
    ['a directory-like name', `${deviceA}.1-2.01234567.json/`],
  ])('rejects %s', (_why, name) => {
    expect(parseSegmentName(name)).toBeUndefined();
  });
});
