/**
 * One shared one-second ticker for every countdown on screen, running only while something
 * listens, aligned to the wall clock's seconds so all countdowns change together.
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let tick = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function schedule(): void {
  timer = setTimeout(
    () => {
      tick++;
      for (const listener of listeners) listener();
      schedule();
    },
    1000 - (Date.now() % 1000) + 5,
  );
}

export function subscribeClock(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) schedule();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

const currentTick = () => tick;

/**
 * The current time in ms, re-rendering the caller every second. The time is read at render (not
 * at the last tick), so a countdown that starts between two ticks shows the right value at once.
 */
export function useNow(): number {
  useSyncExternalStore(subscribeClock, currentTick, currentTick);
  return Date.now();
}
