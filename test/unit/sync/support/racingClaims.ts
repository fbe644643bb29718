import type { RemoteFetch } from '../../../../src/webdav/remoteConfig.ts';
import { deferred } from '../../support/deferred.ts';

/**
 * A fetch under which `racers` claims of one version folder race as on a server that checks, then
 * renames (the fault proxy's `raceMove`, DESIGN.md §6b): each MOVE whose `Destination` ends with
 * `target` (`…/v/000000000001/`) is held until every racer has asked, and each GET of
 * `{target}state.json` until every such MOVE is answered, so every check finds the name free and
 * every read-back comes after the last rename. `moves` are the MOVEs' statuses as they came back.
 */
export function racingClaims(target: string, racers = 2): { fetch: RemoteFetch; moves: number[] } {
  const allAsked = deferred();
  const allAnswered = deferred();
  const moves: number[] = [];
  let asked = 0;
  const racing: RemoteFetch = async (input, init) => {
    const destination = new Headers(init.headers).get('destination') ?? '';
    if (init.method === 'MOVE' && destination.endsWith(target)) {
      if (++asked === racers) allAsked.resolve();
      await allAsked.promise;
      const answer = await fetch(input, init);
      if (moves.push(answer.status) === racers) allAnswered.resolve();
      return answer;
    }
    if (init.method === 'GET' && input.endsWith(`${target}state.json`)) await allAnswered.promise;
    return fetch(input, init);
  };
  return { fetch: racing, moves };
}
