// Preloaded into the `apprentice` child (node --import) by kill-resume.test.ts. When the file named by
// APPRENTICE_TEST_KILL_AFTER_WRITE lands in place (a rename onto its own name, or onto the temp name
// it is held under until the run is marked complete), the process SIGKILLs itself before its next
// statement. A kill chosen from outside by watching the directory lands wherever the writer has got
// to by then (on a fast machine, often after the run completed); this one lands at the same point
// of the same write on any machine, under any load.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const target = process.env.APPRENTICE_TEST_KILL_AFTER_WRITE;
if (target) {
  const rename = fs.renameSync;
  fs.renameSync = (from, to) => {
    rename(from, to);
    const dest = String(to);
    if (dest === target || dest.startsWith(`${target}.tmp-`)) process.kill(process.pid, 'SIGKILL');
  };
  // The sources import `renameSync` by name: refresh those live bindings to the wrapper.
  syncBuiltinESMExports();
}
