#!/usr/bin/python3
"""`show settings` and `send` resolve queues with the same code; this checks it from the outside.
For every queue of the example campaign (scenario and MX zone as in the README), and every
recipient domain in it, `show settings DOMAIN/VMTA` with the same DNS and scenario must name the
same queue and give every limit the send report lists with the same value."""
import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONFIG = ROOT / "examples/production/config"
INPUTS = ["--scenario", str(ROOT / "examples/send/isp-mix-scenario.json"), "--dns-zone", str(ROOT / "examples/send/mx.zone")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    binary = parser.parse_args().binary
    send = subprocess.run([binary, "send", "--dry-run", str(CONFIG), "--workload", str(ROOT / "examples/send/campaign-workload.json"),
                           "--format", "json", *INPUTS], capture_output=True, text=True, timeout=300)
    if send.returncode != 0:
        sys.exit(f"send exited {send.returncode}: {send.stderr}")
    queues = json.loads(send.stdout)["queues"]
    failures, compared, rolled_up = [], 0, 0
    for queue in queues:
        if not queue["settings"]:
            failures.append(f"{queue['name']}: the send report lists no settings")
        for domain in queue["domains"]:
            show = subprocess.run([binary, "show", "settings", f"{domain}/{queue['vmta']}", str(CONFIG), "--format", "json", *INPUTS],
                                  capture_output=True, text=True, timeout=60)
            if show.returncode != 0:
                failures.append(f"show settings {domain}/{queue['vmta']} exited {show.returncode}: {show.stderr}")
                continue
            shown = json.loads(show.stdout)
            name = f"{shown['queue']}/{shown['vmta']}"
            if name != queue["name"]:
                failures.append(f"{domain}: send puts it in {queue['name']}, show settings in {name}")
            rolled_up += shown["rollup"] is not None
            values = {s["name"]: s["value"] for s in shown["settings"]}
            for setting, value in queue["settings"].items():
                compared += 1
                if values.get(setting) != value:
                    failures.append(f"{domain} in {queue['name']}: {setting} is {value!r} in send, {values.get(setting)!r} in show settings")
    print(f"{len(queues)} queues, {compared} settings compared, {rolled_up} domain(s) followed through an MX rollup")
    if rolled_up == 0:
        failures.append("no queue went through an <mx-rollup-list>: the example no longer exercises rollups")
    for failure in failures:
        print("FAIL " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
