/**
 * actordav for pages.
 *
 * @example
 * ```ts
 * import { registerActors } from 'actordav/client';
 * await registerActors('/sw.js');
 * ```
 */
export {
  registerActors,
  type ActorsRegistration,
  type RegisterActorsOptions,
} from './client/registerActors.ts';
