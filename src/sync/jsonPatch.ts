import { setOwn } from './setOwn.ts';

/**
 * The part of RFC 6902 (JSON Patch) a format-2 delta uses: `add`, `replace`
 * and `remove`, on object members and array indexes (`-` appends). A few
 * strict lines instead of a library: the maintained ones (fast-json-patch)
 * bring `move`, `copy`, `test`, observers and a mutating apply this worker
 * never needs, and their diff rewrites a grown array index by index instead
 * of appending.
 */
export type PatchOperation =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** A patch that does not apply: a malformed operation or a path that names nothing. */
export class PatchError extends Error {
  override name = 'PatchError' as const;
}

/**
 * The operations that turn `from` into `to`. Shared subtrees (the same
 * object in both, as a fold leaves them) cost nothing; an array that only
 * grew becomes appends (`add …/-`), so a task log gains one small
 * operation per task, never a rewrite.
 */
export function diffJson(from: unknown, to: unknown): PatchOperation[] {
  const operations: PatchOperation[] = [];
  diffInto(from, to, '', operations);
  return operations;
}

function diffInto(from: unknown, to: unknown, path: string, out: PatchOperation[]): void {
  if (from === to) return;
  if (isRecord(from) && isRecord(to)) {
    for (const name of Object.keys(from)) {
      if (!Object.hasOwn(to, name)) out.push({ op: 'remove', path: `${path}/${escape(name)}` });
    }
    for (const [name, value] of Object.entries(to)) {
      const member = `${path}/${escape(name)}`;
      if (Object.hasOwn(from, name)) diffInto(from[name], value, member, out);
      else out.push({ op: 'add', path: member, value });
    }
    return;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const shared = Math.min(from.length, to.length);
    for (let i = 0; i < shared; i++) diffInto(from[i], to[i], `${path}/${i}`, out);
    for (let i = shared; i < to.length; i++)
      out.push({ op: 'add', path: `${path}/-`, value: to[i] });
    for (let i = from.length - 1; i >= shared; i--)
      out.push({ op: 'remove', path: `${path}/${i}` });
    return;
  }
  out.push({ op: 'replace', path, value: to });
}

/**
 * `document` with `operations` applied in order, without changing it:
 * only the containers on the patched paths are copied (once each), the rest
 * is shared. Throws a {@link PatchError} for anything RFC 6902 refuses or
 * this subset lacks.
 */
export function applyPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a patch is an array of operations');
  const copied = new WeakSet<object>();
  let root = document;
  for (const operation of operations as unknown[]) {
    const { op, path, value } = checkOperation(operation);
    const tokens = parsePointer(path);
    if (tokens.length === 0) {
      if (op === 'remove') throw new PatchError('cannot remove the whole document');
      root = value;
      continue;
    }
    root = ownCopy(root, copied, path);
    let parent = root as Record<string, unknown> | unknown[];
    for (const token of tokens.slice(0, -1)) {
      const child = member(parent, token, path);
      const copy = ownCopy(child, copied, path);
      setMember(parent, token, copy);
      parent = copy as Record<string, unknown> | unknown[];
    }
    change(parent, tokens[tokens.length - 1] as string, op, value, path);
  }
  return root;
}

function change(
  parent: Record<string, unknown> | unknown[],
  token: string,
  op: PatchOperation['op'],
  value: unknown,
  path: string,
): void {
  if (Array.isArray(parent)) {
    const index = token === '-' && op === 'add' ? parent.length : arrayIndex(token, path);
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (index > limit) throw new PatchError(`${path}: index ${index} is out of range`);
    if (op === 'add') parent.splice(index, 0, value);
    else if (op === 'replace') parent[index] = value;
    else parent.splice(index, 1);
    return;
  }
  if (op !== 'add' && !Object.hasOwn(parent, token)) {
    throw new PatchError(`${path}: no such member to ${op}`);
  }
  if (op === 'remove') delete parent[token];
  else setOwn(parent, token, value);
}

function member(parent: Record<string, unknown> | unknown[], token: string, path: string): unknown {
  const value = Array.isArray(parent)
    ? parent[arrayIndex(token, path)]
    : Object.hasOwn(parent, token)
      ? parent[token]
      : undefined;
  if (value === undefined) throw new PatchError(`${path}: ${token} does not exist`);
  return value;
}

function setMember(parent: Record<string, unknown> | unknown[], token: string, value: unknown) {
  if (Array.isArray(parent)) parent[Number(token)] = value;
  else setOwn(parent, token, value);
}

// A container this patch has not copied yet is copied once; later operations change the copy in place.
function ownCopy(value: unknown, copied: WeakSet<object>, path: string): unknown {
  if (!isRecord(value) && !Array.isArray(value)) {
    throw new PatchError(`${path}: passes through a value that is not an object or an array`);
  }
  if (copied.has(value)) return value;
  const copy: object = Array.isArray(value) ? [...(value as unknown[])] : { ...value };
  copied.add(copy);
  return copy;
}

function checkOperation(operation: unknown): {
  op: PatchOperation['op'];
  path: string;
  value: unknown;
} {
  if (!isRecord(operation)) throw new PatchError('an operation is an object');
  const { op, path, value } = operation;
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw new PatchError(`operation ${JSON.stringify(op)} is not add, replace or remove`);
  }
  if (typeof path !== 'string') throw new PatchError(`${op}: the path is not a string`);
  if (op !== 'remove' && !Object.hasOwn(operation, 'value')) {
    throw new PatchError(`${op} ${path}: no value`);
  }
  return { op, path, value };
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`${path}: a JSON Pointer starts with /`);
  return path
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new PatchError(`${path}: a bad ~ escape`);
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

function arrayIndex(token: string, path: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`${path}: ${token} is not an index`);
  return Number(token);
}

function escape(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
