"""`equity-qi generate` rejects bad options with a clear message, a non-zero exit and nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from equity_qi.cli import main
from equity_qi.generator import engine


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "equity_qi.cli", *args], capture_output=True, text=True)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--patients", "ten"], "expected a whole number"),
        (["--patients", "10"], "--patients must be at least 50 per practice"),
        (["--practices", "0"], "--practices must be at least 1"),
        (["--dirty-rate", "5"], "--dirty-rate must be between 0 and 0.2"),
        (["--seed", "-3"], "--seed must be a non-negative integer"),
        (["--start", "2020-13-01"], "--start must be a date YYYY-MM-DD"),
        (["--start", "2020-01-01", "--end", "2019-01-01"], "period.end (2019-01-01) must be after period.start"),
        (["--config", "missing.yaml"], "config file not found"),
    ],
)
def test_bad_options_fail_cleanly(tmp_path, args, message):
    out = tmp_path / "extract"
    result = run("generate", "--out", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_bad_config_content_is_reported(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("hypertension:\n  control_by_quintile: [0.6, 0.7]\n")
    assert main(["generate", "--out", str(tmp_path / "x"), "--config", str(config)]) == 2
    assert "hypertension.control_by_quintile must be a list of 5 numbers" in capsys.readouterr().err
    config.write_text("hypertension:\n  control_by_quintle: [0.6, 0.7, 0.7, 0.7, 0.7]\n")
    assert main(["generate", "--out", str(tmp_path / "x"), "--config", str(config)]) == 2
    assert "unknown config key 'hypertension.control_by_quintle'" in capsys.readouterr().err
    config.write_text("cervical_screening:\n  attend_by_quintile: [0.6, 0.7, 0.7, 0.7, 1.7]\n")
    assert main(["generate", "--out", str(tmp_path / "x"), "--config", str(config)]) == 2
    assert "must hold probabilities in [0, 1]" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_existing_output_is_kept_unless_overwrite(tmp_path, capsys):
    out = tmp_path / "extract"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    assert main(["generate", "--out", str(out), "--patients", "600", "--practices", "2"]) == 2
    assert "exists and is not empty (use --overwrite" in capsys.readouterr().err
    assert (out / "keep.txt").read_text() == "precious"
    assert main(["generate", "--out", str(out), "--patients", "600", "--practices", "2", "--overwrite"]) == 0
    assert not (out / "keep.txt").exists()
    assert (out / "manifest.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract"]


def test_a_failure_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    out = tmp_path / "extract"
    out.mkdir()
    (out / "keep.txt").write_text("previous extract")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "_write_qi_projects", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        engine.generate(engine.Options(out=out, patients=600, practices=2, overwrite=True))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract"]
    assert (out / "keep.txt").read_text() == "previous extract"


def test_generate_prints_a_summary(tmp_path, capsys):
    assert main(["generate", "--out", str(tmp_path / "x"), "--patients", "600", "--practices", "2",
                 "--format", "parquet", "--start", "2019-04-01", "--end", "2022-03-31"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {tmp_path / 'x'}") and "observation" in printed
    assert (tmp_path / "x" / "observation.parquet").exists()
    assert Path(tmp_path / "x" / "manifest.json").read_text().count('"2022-03-31"') == 1
