"""Jobs: long work (XLSX exports, packs, packets, imports, model runs) off the request
thread, with progress a person can watch and cancel.

- `service.JobService` starts, reads, cancels and purges jobs (the doors call it);
- `backends` runs them: `thread` (an in-process pool, the embedded default) or `rq`
  (RQ workers on Redis, any number, on any number of machines);
- `runner.run_job` runs one job in whichever process picked it up; the work itself gets
  a `JobRun`, whose `progress(pct, message)` records progress and stops a cancelled job;
- `kinds.HANDLERS` maps each job kind to the function that does its work.
"""
