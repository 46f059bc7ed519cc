"""Check a batch run in the real Prefect UI with headless Chromium, and make docs/deploy.png.

    .venv/bin/python docs/deploy_screenshot.py UI_URL [OUT_DIR] [RUN_NAME]    # e.g. http://127.0.0.1:4200 docs

It opens the newest completed run of the `mtrepair-batch` flow that repaired a drop (or the run named RUN_NAME), checks what a team
reads there (the run's name, a task run per drop with its state, the log line
of each drop, the reports artifact) and that a report link from the artifact
opens the report, and writes OUT_DIR/deploy.png (the run), deploy-logs.png and
deploy-artifact.png. It prints one line per check.
"""

import sys
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def newest_run(api: str, name: str | None) -> dict:
    query = {"flows": {"name": {"any_": ["mtrepair-batch"]}}, "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
             "sort": "START_TIME_DESC", "limit": 50}
    if name:
        query["flow_runs"]["name"] = {"any_": [name]}
    for run in requests.post(f"{api}/flow_runs/filter", json=query, timeout=10).json():
        logs = requests.post(f"{api}/logs/filter", json={"logs": {"flow_run_id": {"any_": [run["id"]]}}}, timeout=10).json()
        if any("repaired in" in log["message"] for log in logs):
            return run
    raise SystemExit("no completed mtrepair-batch run that repaired a drop on this server")


def main(ui: str, out: Path, name: str | None = None) -> None:
    api = ui.rstrip("/") + "/api"
    run = newest_run(api, name)
    tasks = requests.post(f"{api}/task_runs/filter", json={"flow_runs": {"id": {"any_": [run["id"]]}}}, timeout=10).json()
    print(f"run: {run['name']}")
    for t in sorted(tasks, key=lambda t: t["name"]):
        print(f"task run: {t['name']}: {t['state']['name']}" + (f" ({t['state']['message']})" if t["state"]["type"] == "FAILED" else ""))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{ui.rstrip('/')}/runs/flow-run/{run['id']}")
        page.get_by_text(run["name"]).first.wait_for(timeout=60_000)
        page.wait_for_timeout(4000)
        page.screenshot(path=str(out / "deploy.png"))
        page.set_viewport_size({"width": 1400, "height": 2000})  # the Logs tab (the default) of a small batch
        page.get_by_text("repaired in").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(out / "deploy-logs.png"))
        page.set_viewport_size({"width": 1400, "height": 1000})
        print("logs tab: shows the drops' lines")
        page.get_by_text("Artifacts", exact=True).first.click()
        page.get_by_text("mtrepair-batch-reports", exact=True).first.click()  # the Markdown artifact's page
        link = page.get_by_role("link", name="report", exact=True).first
        link.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "deploy-artifact.png"))
        href = link.get_attribute("href")
        link.click()  # the UI opens it in this tab or a new one
        page.wait_for_timeout(3000)
        report = page.context.pages[-1]
        report.wait_for_load_state()
        if report.url != href:
            raise SystemExit(f"report link {href}: the browser is at {report.url} instead")
        print(f"report link {href}: opens '{report.title()}'")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else "docs"), sys.argv[3] if len(sys.argv) > 3 else None)
