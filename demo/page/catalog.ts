/** A barista: an actor of the demo. */
export interface Barista {
  id: string;
  name: string;
}

export const baristas: readonly Barista[] = [
  { id: 'ada', name: 'Ada' },
  { id: 'grace', name: 'Grace' },
  { id: 'alan', name: 'Alan' },
];

export const drinks: readonly string[] = [
  'Espresso',
  'Flat white',
  'Cortado',
  'Mocha',
  'Chai latte',
  'Cold brew',
];

/** An order as it is sent: the task body of `PUT /actors/{barista}/tasks`. */
export interface Order {
  drink: string;
  customer: string;
}

/** A task as the worker keeps it in `state.tasks`. */
export interface LoggedOrder {
  key: string;
  task: Partial<Order>;
  at: number | string;
}
