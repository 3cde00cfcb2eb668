"""The run order of a report build: longest first, by the last build's times, else the committed hint."""
from __future__ import annotations

import json

import pytest

from critique.core.errors import ParameterError
from critique.datasets import paths
from critique.publish import reports, runner, schedule


def briefing_names() -> list[str]:
    return [job.name for job in reports.jobs_for_set(paths.params_dir() / "briefing.yml")[1]]


def test_cold_briefing_starts_notebooks_40_and_50_first():
    """No timings in the report folder: the committed hint decides, and the two notebooks that take
    the longest on a cold build start at once on the two workers."""
    names = briefing_names()
    assert names[:2] != ["40-multiple-systems-estimation", "50-policy-claims"]  # file order would not
    order = schedule.longest_first(names, {}, schedule.hint())
    assert order[:2] == ["40-multiple-systems-estimation", "50-policy-claims"]
    assert sorted(order) == sorted(names)


def test_hint_names_every_briefing_notebook_and_no_other():
    assert set(schedule.hint()) == set(briefing_names())


def test_previous_timings_win_over_the_hint():
    names = ["a", "b", "c", "d"]
    hint = {"a": 1.0, "b": 100.0, "c": 50.0, "d": 10.0}
    assert schedule.longest_first(names, {}, hint) == ["b", "c", "d", "a"]
    # a's last build took longest, b's was short: by hand, a (200) > c (hint 50) > d (hint 10) > b (5)
    assert schedule.longest_first(names, {"a": 200.0, "b": 5.0}, hint) == ["a", "c", "d", "b"]


def test_untimed_notebooks_go_last_and_ties_keep_list_order():
    assert schedule.longest_first(["x", "y", "z", "w"], {"z": 3.0}, {"y": 3.0}) == ["y", "z", "x", "w"]


def test_record_merges_and_previous_reads_back(tmp_path):
    timings = tmp_path / "rep" / schedule.SECONDS_FILE
    timings.parent.mkdir()
    schedule.record(timings, {"a": 12.34, "b": 5})
    schedule.record(timings, {"b": 7.0})  # a did not run again: keeps its figure
    assert schedule.previous(timings) == {"a": 12.3, "b": 7.0}


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"a": "slow", "b": -1, "c": true}'])
def test_damaged_timings_are_ignored(tmp_path, text):
    f = tmp_path / schedule.SECONDS_FILE
    f.write_text(text)
    assert schedule.previous(f) == {}
    assert schedule.previous(tmp_path / "missing.json") == {}


@pytest.mark.parametrize("text, bad", [("a: slow\n", "'a': 'slow'"), ("a: -3\n", "'a': -3"),
                                       ("- a\n", "found a list"), ("a: .nan\n", "'a': nan")])
def test_bad_hint_is_refused_naming_file_and_entry(tmp_path, text, bad):
    f = tmp_path / "expected-seconds.yml"
    f.write_text(text)
    with pytest.raises(ParameterError, match=bad) as err:
        schedule.hint(f)
    assert str(f) in str(err.value)


def _fake_runs(monkeypatch, started: list[str]):
    """run_jobs with the notebook runs replaced: records the order jobs start, every job 'runs'."""
    monkeypatch.setattr(runner, "check_out_dir", lambda out_dir, stem: None)
    monkeypatch.setattr(runner, "validate_parameters", lambda nb, params: None)
    monkeypatch.setattr(runner, "ensure_kernel", lambda: None)
    monkeypatch.setattr(runner, "is_up_to_date", lambda *a, **k: False)
    monkeypatch.setattr(runner, "code_fingerprint", lambda: "code")

    def run(job, force, code, timeout, cells=False):
        started.append(job.name)
        return job.name, False, {"first": 1.0, "second": 2.0, "third": 3.0}[job.name]
    monkeypatch.setattr(reports, "_run_job", run)


def test_run_jobs_starts_longest_first_and_records_times(tmp_path, monkeypatch):
    jobs = [reports.Job(n, tmp_path / f"{n}.ipynb", {}, tmp_path / "out" / n) for n in ("first", "second", "third")]
    timings = tmp_path / "out" / schedule.SECONDS_FILE
    timings.parent.mkdir()
    started: list[str] = []
    _fake_runs(monkeypatch, started)
    monkeypatch.setattr(schedule, "hint", lambda path=None: {"second": 9.0})
    ran, skipped, failed = reports.run_jobs(jobs, n_jobs=1, progress=False, timings=timings)
    assert started == ["second", "first", "third"]  # hint: second; the others untimed, in list order
    assert json.loads(timings.read_text()) == {"first": 1.0, "second": 2.0, "third": 3.0}
    started.clear()
    reports.run_jobs(jobs, n_jobs=1, progress=False, timings=timings)
    assert started == ["third", "second", "first"]  # now the recorded times decide
    started.clear()
    reports.run_jobs(jobs, n_jobs=1, progress=False)  # no timings file: the order given
    assert started == ["first", "second", "third"]

