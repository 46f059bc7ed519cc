"""The review desk: a small ASGI app (Starlette, served by uvicorn) over a batch's output folder.

A delivery layer beside `flows/` and the CLI: it lists the drops of OUT_DIR, serves
each run's review page, saves the editors' decisions as they work and applies them
on Done, always through the library's pure functions (`repair.review`,
`repair.decide`). `desk.app.desk_app(OUT_DIR)` builds the desk, `desk.app.run_app(RUN_DIR)`
the page of one run (`mtrepair review RUN_DIR`, the paused `--review` flow);
`desk.security` checks Host, Origin, token and body size in one middleware;
`desk.server` serves either with uvicorn.
"""
