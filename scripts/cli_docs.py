"""Write docs/cli.md from the commands' --help texts: `python3 scripts/cli_docs.py` (a test checks it is current)."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


def cli_docs() -> str:
    from planlod.cli import main

    runner = CliRunner()
    parts = ["# planlod command line\n\nGenerated from `--help` by `scripts/cli_docs.py`; do not edit by hand.\n"]
    for name in [None, *sorted(main.commands)]:
        args = [name, "--help"] if name else ["--help"]
        text = runner.invoke(main, args, prog_name="planlod", terminal_width=100).output
        parts.append(f"\n## `planlod{' ' + name if name else ''}`\n\n```\n{text.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(cli_docs(), encoding="utf-8")
    sys.exit(0)
