/**
 * Sets a member by defining it, never by assignment: a name read from the
 * remote (a key, a device id, a patch path) that is `__proto__` must stay a
 * member, not replace the record's prototype.
 */
export function setOwn<T>(record: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(record, name, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}
