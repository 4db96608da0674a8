/** A `*.watch` subscription's body: the status now and at every change, until `signal` aborts (VM, Kubernetes). */
export function watchStatus<T>(subscribe: (l: (s: T) => void) => () => void, emit: (s: T) => Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const off = subscribe((s) => void emit(s).catch(() => undefined));
    const done = () => {
      off();
      resolve();
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}
