/**
 * Runs `task` on every item with at most `concurrency` tasks in flight: that many workers take
 * the next item as soon as their previous one settles. `task` should not reject. Once `stop`
 * aborts, no new item starts; those in flight finish (aborting them would leave their outcome
 * unknown).
 */
export const forEachBounded = async <A>(
  items: ReadonlyArray<A>,
  concurrency: number,
  task: (item: A) => Promise<void>,
  stop?: AbortSignal
): Promise<void> => {
  let next = 0
  const worker = async () => {
    while (next < items.length && !stop?.aborted) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}
