import type { Commands } from '../actor/command.ts';

// Type-level only: how the page reads the worker's `typeof commands` (a type import, so no worker
// code reaches the page bundle). Untyped (`Commands`, whose keys are any string) keeps the loose
// signatures of a client created without a type argument.

/** The command names of a commands object; `string` when they are not known. */
export type CommandName<C extends Commands> = keyof C & string;

/** True when `C` names no commands in particular (`Commands` itself, or a `: Commands` annotation). */
export type IsUntyped<C extends Commands> = string extends keyof C ? true : false;

/** The payload a command takes (its second parameter); `object` when it declares none. */
export type PayloadOf<F> = F extends (state: never, payload: infer P, ...rest: never[]) => unknown
  ? unknown extends P
    ? object
    : P
  : object;

/**
 * The result a command answers with, as the worker stores it: what it returned as `result`, or
 * `null` where it may return none (the worker writes a missing result as `null`).
 */
export type ResultOf<F> = F extends (...args: never[]) => infer Out
  ? Awaited<Out> extends { result?: infer R }
    ? undefined extends R
      ? unknown extends R
        ? unknown
        : Exclude<R, undefined> | null
      : R
    : unknown
  : unknown;
