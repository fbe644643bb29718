/** Properties that generic code probes on any object (awaiting, printing, matchers): they stay undefined. */
const probed = new Set<string>([
  'then',
  'catch',
  'finally',
  'toJSON',
  'asymmetricMatch',
  'nodeType',
  'inspect',
  '$$typeof',
  'length',
]);

/**
 * Wraps an adapter object so that any Playwright API it lacks fails loudly
 * with its name, instead of `undefined is not a function` deep in a spec.
 * Underscore names stay undefined: Playwright's fixtures and matchers probe
 * internals such as `_connection` or `_reuseContext`.
 */
export function unavailableElsewhere<T extends object>(target: T, kind: string): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object) {
        return Reflect.get(object, property, receiver) as unknown;
      }
      if (property.startsWith('_') || probed.has(property)) return undefined;
      throw new Error(`${kind}.${property} is not available in WebKitGTK through WebDriver`);
    },
  });
}
