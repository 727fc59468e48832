"""Contrastive fine-tuning of the bi-encoder (ConFit v2's recipe, on ESCO-shaped data).

Loss: in-batch InfoNCE (multiple-negatives ranking loss, scale 20 as in
sentence-transformers) over [the batch's positives; one mined hard negative per
anchor]. Candidates of a concept that is gold for the anchor are masked, so
another label of the same occupation is never pushed away.

Hard negatives: *runner-up band* (ConFit v2). The current model ranks the
task's concept pool (English preferred labels of occupations or skills); gold
concepts are removed; the `skip` most similar of the rest are skipped (near the
very top sit unlabelled positives: synonyms, broader/narrower occupations) and
one negative is drawn from the next `band`. Real titles (JobBERT, MELO,
TechWolf) are ranked from the anchor text itself; ESCO label pairs from their
gold concept's preferred label (the anchor is another label of it, and this
keeps mining at one pass over the pool). Mining is repeated `mining_rounds`
times, each with the model as trained so far.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass
from typing import Callable

import torch

from bert import BertModel
from data import Corpus, Pair, Task
from encoder import TextEncoder
from progress import Progress

ANCHOR_MINED = {"jobbert-titles", "melo-titles-fr", "techwolf-title-skills"}


@dataclass(frozen=True)
class HyperParameters:
    steps: int = 1200
    batch_size: int = 48
    learning_rate: float = 3e-5
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    scale: float = 20.0
    mining_rounds: int = 2
    band_skip: int = 3
    band_size: int = 30
    max_grad_norm: float = 1.0
    # The 30k × 384 token table is half the parameters; frozen, steps are faster and rare words keep their vectors.
    freeze_word_embeddings: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    steps_done: int
    losses: list[float]
    stopped_by_time: bool
    seconds: float
    mining_seconds: float


def plan_batches(tasks: list[Task], hp: HyperParameters, rng: random.Random) -> list[tuple[int, list[int]]]:
    """(task index, pair indices) per step: a task drawn by weight, then pairs with distinct anchors and concepts."""
    weights = [t.weight for t in tasks]
    orders = [rng.sample(range(len(t.pairs)), len(t.pairs)) for t in tasks]
    cursors = [0] * len(tasks)
    plan = []
    for _ in range(hp.steps):
        ti = rng.choices(range(len(tasks)), weights=weights)[0]
        task, order = tasks[ti], orders[ti]
        anchors: set[str] = set()
        concepts: set[str] = set()
        chosen: list[int] = []
        tries = 0
        while len(chosen) < hp.batch_size and tries < 4 * hp.batch_size:
            if cursors[ti] >= len(order):
                rng.shuffle(order)
                cursors[ti] = 0
            i = order[cursors[ti]]
            cursors[ti] += 1
            tries += 1
            p = task.pairs[i]
            if p.anchor in anchors or p.concept in concepts:
                continue
            anchors.add(p.anchor)
            concepts.add(p.concept)
            chosen.append(i)
        if len(chosen) >= 2:
            plan.append((ti, chosen))
    return plan


def gold_by_anchor(task: Task) -> dict[str, set[str]]:
    gold: dict[str, set[str]] = {}
    for p in task.pairs:
        gold.setdefault(p.anchor, set()).add(p.concept)
    return gold


def mine_hard_negatives(
    model: BertModel,
    encoder: TextEncoder,
    corpus: Corpus,
    tasks: list[Task],
    golds: list[dict[str, set[str]]],
    plan: list[tuple[int, list[int]]],
    hp: HyperParameters,
    rng: random.Random,
) -> dict[tuple[int, int], tuple[str, str]]:
    """A runner-up-band negative (concept URI, preferred label) for each (task, pair) in `plan`."""
    pools = {}
    for pool in sorted({tasks[ti].pool for ti, _ in plan}):
        uris = sorted(corpus.pref[pool])
        texts = [corpus.pref[pool][u] for u in uris]
        bar = Progress(f"mining: embed {pool} pool", len(texts))
        pools[pool] = (uris, {u: i for i, u in enumerate(uris)}, encoder.embed(model, texts, 32, on_batch=bar.update))

    wanted: dict[tuple[int, int], None] = dict.fromkeys((ti, i) for ti, idx in plan for i in idx)
    # Query text per (task, pair): the anchor for real titles, else the gold concept's preferred label.
    queries: dict[tuple[int, int], tuple[str, str]] = {}
    for ti, i in wanted:
        task = tasks[ti]
        p = task.pairs[i]
        if task.name in ANCHOR_MINED:
            queries[(ti, i)] = ("text", p.anchor)
        else:
            queries[(ti, i)] = ("concept", p.concept)
    anchor_texts = sorted({q for kind, q in queries.values() if kind == "text"})
    bar = Progress("mining: embed title anchors", len(anchor_texts))
    anchor_vecs = encoder.embed(model, anchor_texts, 32, on_batch=bar.update)
    anchor_row = {t: i for i, t in enumerate(anchor_texts)}

    depth = hp.band_skip + hp.band_size + 64  # room for removed gold concepts
    negatives: dict[tuple[int, int], tuple[str, str]] = {}
    keys = list(wanted)
    bar = Progress("mining: rank runner-up band", len(keys))
    for start in range(0, len(keys), 512):
        chunk = keys[start : start + 512]
        by_pool: dict[str, list[tuple[int, int]]] = {}
        for key in chunk:
            by_pool.setdefault(tasks[key[0]].pool, []).append(key)
        for pool, pool_keys in by_pool.items():
            uris, row_of, vecs = pools[pool]
            q = torch.stack(
                [
                    anchor_vecs[anchor_row[queries[k][1]]] if queries[k][0] == "text" else vecs[row_of[queries[k][1]]]
                    for k in pool_keys
                ]
            )
            top = torch.topk(q @ vecs.T, k=min(depth, len(uris)), dim=1).indices.tolist()
            for key, ranked in zip(pool_keys, top):
                ti, i = key
                gold = golds[ti].get(tasks[ti].pairs[i].anchor, set())
                rest = [uris[r] for r in ranked if uris[r] not in gold]
                band = rest[hp.band_skip : hp.band_skip + hp.band_size] or rest[-1:]
                if band:
                    uri = rng.choice(band)
                    negatives[key] = (uri, corpus.pref[pool][uri])
        bar.update(len(chunk))
    return negatives


def contrastive_loss(
    anchors: torch.Tensor,
    candidates: torch.Tensor,
    false_negative: torch.Tensor,
    scale: float,
) -> torch.Tensor:
    """InfoNCE: row i's target is column i; masked columns (other gold of row i) are excluded."""
    scores = anchors @ candidates.T * scale
    scores = scores.masked_fill(false_negative, float("-inf"))
    return torch.nn.functional.cross_entropy(scores, torch.arange(anchors.shape[0], device=anchors.device))


def train(
    model: BertModel,
    encoder: TextEncoder,
    corpus: Corpus,
    tasks: list[Task],
    hp: HyperParameters,
    seed: int,
    deadline: Callable[[], bool],
    device: torch.device,
) -> TrainResult:
    import time

    rng = random.Random(seed)
    torch.manual_seed(seed)
    plan = plan_batches(tasks, hp, rng)
    golds = [gold_by_anchor(t) for t in tasks]
    if hp.freeze_word_embeddings:
        model.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": hp.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=hp.learning_rate,
    )
    warmup = max(1, int(hp.warmup_fraction * len(plan)))

    def lr_at(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (len(plan) - step) / max(1, len(plan) - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
    rounds = max(1, hp.mining_rounds)
    round_len = math.ceil(len(plan) / rounds)
    losses: list[float] = []
    started = time.monotonic()
    stopped = False
    bar: Progress | None = None
    negatives: dict[tuple[int, int], tuple[str, str]] = {}
    mining_seconds = 0.0
    for step, (ti, idx) in enumerate(plan):
        if step % round_len == 0:
            mining_started = time.monotonic()
            negatives = mine_hard_negatives(
                model, encoder, corpus, tasks, golds, plan[step : step + round_len], hp, random.Random(seed + step)
            )
            mining_seconds += time.monotonic() - mining_started
            model.train()
            bar = Progress("training", len(plan), " steps", initial=step)
        if deadline():
            stopped = True
            break
        task = tasks[ti]
        pairs: list[Pair] = [task.pairs[i] for i in idx]
        negs = [n for n in (negatives.get((ti, i)) for i in idx) if n is not None]
        a = encoder.forward(model, [p.anchor for p in pairs], task.max_tokens)
        c = encoder.forward(model, [p.positive for p in pairs] + [text for _, text in negs], 32)
        gold = golds[ti]
        cand_concepts = [p.concept for p in pairs] + [uri for uri, _ in negs]
        mask = torch.zeros((len(pairs), c.shape[0]), dtype=torch.bool)
        for r, p in enumerate(pairs):
            g = gold.get(p.anchor, set())
            for col, concept in enumerate(cand_concepts):
                if col != r and concept in g:
                    mask[r, col] = True
        loss = contrastive_loss(a, c, mask.to(device), hp.scale)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, hp.max_grad_norm)
        optimizer.step()
        scheduler.step()
        losses.append(float(loss.detach()))
        recent = losses[-50:]
        assert bar is not None
        bar.update(1, f"loss {sum(recent) / len(recent):.3f}")
    return TrainResult(
        steps_done=len(losses),
        losses=losses,
        stopped_by_time=stopped,
        seconds=time.monotonic() - started,
        mining_seconds=mining_seconds,
    )
