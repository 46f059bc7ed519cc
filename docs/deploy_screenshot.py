"""Check a batch run in the real Prefect UI with headless Chromium, and make docs/deploy.png.

    .venv/bin/python docs/deploy_screenshot.py UI_URL [OUT_DIR]     # e.g. http://127.0.0.1:4200 docs

It opens the newest run of the `mtrepair-batch` flow, checks what a team
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


def newest_run(api: str) -> dict:
    runs = requests.post(f"{api}/flow_runs/filter", json={"flows": {"name": {"any_": ["mtrepair-batch"]}},
                                                          "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
                                                          "sort": "START_TIME_DESC", "limit": 1}, timeout=10).json()
    if not runs:
        raise SystemExit("no completed mtrepair-batch run on this server")
    return runs[0]


def main(ui: str, out: Path) -> None:
    api = ui.rstrip("/") + "/api"
    run = newest_run(api)
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
        page.get_by_role("tab", name="Logs").first.click()
        page.get_by_text(": repaired in").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "deploy-logs.png"))
        print("logs tab: shows the drops' lines")
        page.get_by_role("tab", name="Artifacts").first.click()
        link = page.get_by_role("link", name="report").first
        link.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "deploy-artifact.png"))
        href = link.get_attribute("href")
        with page.context.expect_page(timeout=30_000) as opened:
            link.click()
        report = opened.value
        report.wait_for_load_state()
        print(f"report link {href}: opens '{report.title()}'")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else "docs"))
