"""The rebuild's progress output: documents per second and time left, bar or plain lines."""

import io

from archive import search
from archive.search.progress import PLAIN_EVERY_SECONDS, RebuildProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_progress_reports_rate_and_time_left() -> None:
    clock, out = Clock(), io.StringIO()
    progress = RebuildProgress(100, out, tty=False, clock=clock)
    clock.now += 10
    progress(25, 500)  # 25 % in 10 s: 30 s left, 50 documents/s
    assert out.getvalue() == ("25/100 items (25%), 500 documents, 50 documents/s, time left 0:30\n")


def test_plain_progress_writes_a_line_every_few_seconds_not_every_item() -> None:
    clock, out = Clock(), io.StringIO()
    progress = RebuildProgress(1000, out, tty=False, clock=clock)
    for item in range(1, 101):
        clock.now += PLAIN_EVERY_SECONDS / 40
        progress(item, item * 3)
    progress.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 4  # first item, after 10 s and 20 s, and the close
    assert lines[-1] == "100/1000 items (10%), 300 documents, 12 documents/s, time left 3:45"
    assert "\r" not in out.getvalue()


def test_terminal_progress_redraws_one_line_with_a_bar() -> None:
    clock, out = Clock(), io.StringIO()
    progress = RebuildProgress(4, out, tty=True, clock=clock)
    for item in range(1, 5):
        clock.now += 1
        progress(item, item * 10)
    progress.close()
    text = out.getvalue()
    assert text.startswith("\r[" + "#" * 6 + "." * 18 + "] 1/4 items (25%)")
    assert text.endswith(
        "\r[" + "#" * 24 + "] 4/4 items (100%), 40 documents, "
        "10 documents/s, time left 0:00\x1b[K\n"
    )
    assert text.count("\n") == 1


def test_empty_rebuild_reports_done() -> None:
    clock, out = Clock(), io.StringIO()
    progress = RebuildProgress(0, out, tty=False, clock=clock)
    progress.close()
    assert out.getvalue() == "0/0 items (100%), 0 documents, 0 documents/s, time left 0:00\n"


def test_reindex_command_shows_progress_when_not_a_terminal(runner, make_story) -> None:
    make_story("een", body="vertrouwenspersoon")
    make_story("twee", body="meldcode")
    result = runner.invoke(args=["reindex", "--procs", "2"])
    assert result.exit_code == 0, result.output
    assert "2/2 items (100%), 2 documents, " in result.output
    assert "documents/s, time left 0:00" in result.output
    assert "Indexed 2 stories" in result.output


def test_reindex_quiet_shows_only_the_summary(runner, make_story) -> None:
    make_story("een", body="vertrouwenspersoon")
    result = runner.invoke(args=["reindex", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Indexed 1 stories and 0 episodes (1 documents) in "
        + result.output.split(" in ")[-1].strip()
    ]
    assert search.index_store().current() is not None
