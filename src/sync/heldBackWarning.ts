import type { HeldBack } from '../http/types.ts';

/**
 * A `console.warn` for the first message held back for each reason in this
 * worker's life (later ones stay quiet, like `warnFirstErrors`): what it
 * waits for and what to do.
 */
export function heldBackWarner(
  commandsVersion: number,
): (actorId: string, heldBack: readonly HeldBack[]) => void {
  const warned = new Set<HeldBack['code']>();
  return (actorId, heldBack) => {
    for (const held of heldBack) {
      if (warned.has(held.code)) continue;
      warned.add(held.code);
      console.warn(heldBackWarning(actorId, held, commandsVersion));
    }
  };
}

/**
 * The warning for a message the fold held back. Another device's message of
 * a newer release is expected during a rolling upgrade; the rest need a
 * change to the app.
 */
export function heldBackWarning(actorId: string, held: HeldBack, commandsVersion: number): string {
  const whose = held.own ? 'this device' : `device ${held.deviceId}`;
  const what = `actordav: actor "${actorId}": message ${held.seq} (${held.type}, key ${held.key}) of ${whose} is held back (${held.code})`;
  switch (held.code) {
    case 'commands-newer':
      return (
        `${what}: it was logged with commandsVersion ${held.commandsVersion}, newer than this ` +
        `release's ${commandsVersion}. A device running that release folds it; nothing to do unless no device does.`
      );
    case 'unknown-command':
      return (
        `${what}: this release has no command "${held.type}". A release that has it folds it; ` +
        'when a command is renamed or removed, keep it (or raise commandsVersion where it is added).'
      );
    case 'turn-timeout':
      return (
        `${what}: its command ran past turnTimeoutMs here. A faster device folds it; ` +
        'raise turnTimeoutMs or make the command faster.'
      );
    case 'command-invalid':
    case 'command-nondeterministic':
      return `${what}: the command is faulty in this release. Fix it; a release with the fix folds it.`;
  }
}
