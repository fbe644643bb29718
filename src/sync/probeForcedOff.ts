declare const __ACTORDAV_UNPROBED__: boolean | undefined;

/**
 * True only in a test build that defines `__ACTORDAV_UNPROBED__` (the
 * end-to-end suite's `sw-unprobed.js`), where the suite proves that the
 * read-back of every claim alone keeps devices from confirming a version that
 * is not the remote's, on a server the probe would refuse. No library or app
 * build defines it.
 */
export const probeForcedOff =
  typeof __ACTORDAV_UNPROBED__ !== 'undefined' && __ACTORDAV_UNPROBED__ === true;
