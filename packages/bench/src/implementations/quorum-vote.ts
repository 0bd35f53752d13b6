/**
 * Resolves `true` as soon as `quorum` of the calls resolved truthy, `false` as soon as that
 * can no longer happen (a rejection counts as a no). Calls still in flight are left running.
 */
export function quorumVote(calls: readonly Promise<unknown>[], quorum: number): Promise<boolean> {
  return new Promise((resolve) => {
    let yes = 0;
    let no = 0;
    const vote = (granted: boolean) => {
      if (granted) yes++;
      else no++;
      if (yes === quorum) resolve(true);
      else if (no === calls.length - quorum + 1) resolve(false);
    };
    for (const call of calls)
      call.then(
        (value) => vote(Boolean(value)),
        () => vote(false),
      );
  });
}
