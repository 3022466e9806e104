import fc from 'fast-check';

const FUZZ_SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/**
 * Runs a property with its fixed seed (printed so a failure can be replayed with FUZZ_SEED). The
 * failure report is our own error message (the request, the answer, what is wrong) cut to
 * `maxCauseChars`, plus the seed and path, not fast-check's dump of the whole generated value
 * (bodies reach 200 KB).
 */
export async function runProperty<T>(
  name: string,
  seed: number,
  numRuns: number,
  property: fc.IAsyncPropertyWithHooks<[T]> | fc.IAsyncProperty<[T]>,
  maxCauseChars = 4_000,
): Promise<void> {
  const used = FUZZ_SEED ?? seed;
  const started = performance.now();
  try {
    await fc.assert(property, {
      seed: used,
      numRuns,
      endOnFailure: true,
      asyncReporter: async (details) => {
        if (!details.failed) return;
        const cause =
          details.errorInstance instanceof Error
            ? details.errorInstance.message
            : String(details.errorInstance);
        throw new Error(
          `property "${name}" failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}):\n${cause.slice(0, maxCauseChars)}`,
        );
      },
    });
  } finally {
    console.info(
      `[fuzz] ${name}: seed=${used} numRuns=${numRuns} ${Math.round(performance.now() - started)} ms`,
    );
  }
}
