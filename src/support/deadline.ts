// A bound on how long to wait for work that may never finish (a flush while
// the downstream is gone): the caller learns which came first.

/** Resolves true if `work` finished within `ms`, false if the deadline came first. */
export async function withDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
