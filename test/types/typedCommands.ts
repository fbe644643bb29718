// Compile-time tests, run by `npm run typecheck` (tsconfig.json includes test/): each
// `@ts-expect-error` line must be an error, or tsc fails with "Unused '@ts-expect-error'".
// Nothing here runs; the functions are never called.
import { createActorClient, type ActorResult } from '../../src/client.ts';
import type { Command, Commands } from '../../src/sw.ts';

// A state declared as an interface: Command<State> must take it (it once needed an index signature).
interface Account {
  balance: number;
  owner?: string;
}

const deposit: Command<Account, { amount: number }, { balance: number }> = (state, { amount }) => ({
  state: { ...state, balance: state.balance + amount },
  result: { balance: state.balance + amount },
});

export const commands = {
  deposit,
  rename: (state: Account, { owner }: { owner: string }) => ({
    state: { ...state, owner },
    result: { owner },
  }),
  reset: (state: Account) => ({ state: { ...state, balance: 0 } }),
  audit: (state: Account) => Promise.resolve({ state, result: [state.balance] }),
} satisfies Commands;

export async function typedClient(): Promise<void> {
  const actor = createActorClient<typeof commands>().actor('alice');

  const deposited = await actor.execute('deposit', { amount: 5 });
  const balance: number = deposited.status === 'done' ? deposited.result.balance : 0;
  const maybe: number | undefined = deposited.result?.balance;
  const renamed = await actor.execute('rename', { owner: 'ada' }, { intent: 'rename-ada' });
  if (renamed.status === 'done') renamed.result.owner.toUpperCase();
  await actor.execute('reset'); // takes no payload
  const audited = await actor.execute('audit');
  if (audited.status === 'done') audited.result.map((value: number) => value + 1);
  const nested: number | null = deposited.answer.body.result?.balance ?? null;
  void [balance, maybe, nested];

  // @ts-expect-error a misspelt command name
  await actor.execute('depositt', { amount: 5 });
  // @ts-expect-error a wrong payload: amount is a number
  await actor.execute('deposit', { amount: '5' });
  // @ts-expect-error a payload with a misspelt field
  await actor.execute('deposit', { amont: 5 });
  // @ts-expect-error a missing payload where the command needs one
  await actor.execute('deposit');
  // @ts-expect-error a wrong use of the result: balance is a number
  const wrong: string = deposited.status === 'done' ? deposited.result.balance : '';
  // @ts-expect-error a field the result lacks
  if (renamed.status === 'done') void renamed.result.balance;
  // @ts-expect-error a pending result may be null (the command threw locally)
  void deposited.result.balance;
  void wrong;
}

// `: Commands` erases the names: the client then takes any name and any object, as untyped.
export async function untypedClient(): Promise<void> {
  const loose = createActorClient<Commands>().actor('bob');
  const answer: ActorResult = await loose.execute('anything', { at: 'all' });
  const plain = createActorClient().actor('bob');
  const typedByHand = await plain.execute<{ balance: number }>('deposit', { amount: 1 });
  if (typedByHand.status === 'done') void typedByHand.result.balance;
  void answer;
}
