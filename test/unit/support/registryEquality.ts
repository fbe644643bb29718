import { expect } from 'vitest';
import { KeyRegistry } from '../../../src/sync/KeyRegistry.ts';

/**
 * `toEqual` compares key registries by their live keys: what a registry
 * answers, not how its layers happen to be stacked or what forgotten keys
 * they still hold (its layers are private, so without this any two
 * registries would look equal).
 */
expect.addEqualityTesters([
  function registriesEqual(a: unknown, b: unknown, testers) {
    if (!(a instanceof KeyRegistry) || !(b instanceof KeyRegistry)) return undefined;
    const live = (registry: KeyRegistry) => Object.fromEntries(registry.entries());
    return this.equals(live(a), live(b), testers);
  },
]);
