"""What both trained models' artifacts share: the environment record and the
atomic write of a folder with its manifest (files listed with sha256 and size)."""

from __future__ import annotations

import json
import os
import platform
import shutil
from pathlib import Path

import torch

from base_model import sha256_file

MANIFEST_FORMAT = 1


def environment() -> dict:
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "onnxruntime": __import__("onnxruntime").__version__,
        "onnx": __import__("onnx").__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }


def staging_dir(out: Path) -> Path:
    staging = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def finalize_artifact(staging: Path, out: Path, manifest: dict) -> None:
    """Lists every file with its sha256 and size in `manifest.json`, then replaces `out` by `staging`."""
    manifest["files"] = {
        f.name: {"sha256": sha256_file(f), "size": f.stat().st_size} for f in sorted(staging.iterdir()) if f.is_file()
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(out)


def training_record(device, steps_planned: int, result, seconds_per_step: float, probe_before: float,
                    probe_after: float, quick: bool, **extra) -> dict:
    """The manifest's `training` block; `result` has steps_done, stopped_by_time, seconds, losses."""
    losses = result.losses
    return {
        "device": str(device),
        "threads": torch.get_num_threads(),
        "stepsPlanned": steps_planned,
        "stepsDone": result.steps_done,
        "stoppedByTimeBudget": result.stopped_by_time,
        # Same seed, same data, same step count, same device kind → same weights; a time stop breaks that.
        "reproducible": not result.stopped_by_time,
        "seconds": round(result.seconds, 1),
        **extra,
        "secondsPerStep": round(seconds_per_step, 3),
        "lossFirst20": round(_mean(losses[:20]), 4),
        "lossLast20": round(_mean(losses[-20:]), 4),
        # Loss on fixed training examples, dropout off: comparable before and after, and across runs.
        "probeLossBefore": round(probe_before, 5),
        "probeLossAfter": round(probe_after, 5),
        "quick": bool(quick),
    }


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")
