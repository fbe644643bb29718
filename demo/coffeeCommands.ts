import type { Commands } from '../src/sw.ts';

/** The demo's one user command: a barista pours an order and counts the cups. */
export const coffeeCommands: Commands = {
  pour: (state: { poured?: number }, order: { drink?: unknown }) => {
    if (typeof order.drink !== 'string' || order.drink === '')
      throw new Error('Name a drink to pour');
    const poured = (state.poured ?? 0) + 1;
    return { state: { ...state, poured }, result: { drink: order.drink, cup: poured } };
  },
};
