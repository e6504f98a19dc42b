/**
 * One action after another: a review key pressed while the previous decision is still on its way to
 * the server acts once that one is done, on the text it left the page on. Without this, `u` then `x`
 * pressed quickly could reject the text after the one being undone. A failed action still rejects
 * (the page shows it as an error) and does not stop the ones queued behind it.
 */
export function serial(): (action: () => Promise<void> | void) => Promise<void> {
  let tail: Promise<void> = Promise.resolve();
  return (action) => {
    const run = tail.then(action);
    tail = run.catch(() => undefined);
    return run;
  };
}
