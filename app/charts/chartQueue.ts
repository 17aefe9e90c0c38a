// Spreads chart redraws over the main thread: each chart's update runs as its own task (a long
// redraw of every chart at once becomes a dozen short ones), and the time they took tells the page
// how often it can afford to redraw at all.

type Job = () => void;
const queue: Job[] = [];
let pumping = false;
let batchMs = 0;
let lastBatchMs = 0;

function pump(): void {
  const job = queue.shift();
  if (job) {
    const t0 = performance.now();
    job();
    batchMs += performance.now() - t0;
  }
  if (queue.length) setTimeout(pump, 0);
  else {
    pumping = false;
    lastBatchMs = batchMs;
    batchMs = 0;
  }
}

/** Runs `job` in a task of its own after the jobs already queued; returns a cancel function. */
export function enqueueChartJob(job: Job): () => void {
  queue.push(job);
  if (!pumping) {
    pumping = true;
    setTimeout(pump, 0);
  }
  return () => {
    const i = queue.indexOf(job);
    if (i >= 0) queue.splice(i, 1);
  };
}

/** Main-thread ms the last full round of chart updates took (0 before the first). */
export const lastChartRoundMs = (): number => lastBatchMs;
