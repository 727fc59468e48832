"""Dev-eval metrics: each query embedded, exact cosine search over every label
of the pool (occupations: English and French preferred + alternative labels, as
the service's label index; skills: preferred labels), a concept scoring its
best label. MRR@10 and Recall@1/5/10 for titles, RP@5 (Decorte et al.) and
Recall@10 for title → skills. Per-query scores are kept so two models can be
compared with a paired bootstrap."""

from __future__ import annotations

import random
import time
from typing import Callable

import torch

from bert import BertModel
from data import Corpus, DevSet
from encoder import TextEncoder
from progress import Progress


def _per_query(ranked: list[list[str]], gold: list[set[str]], metric: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    if metric == "mrr":
        rr, r1, r5, r10 = [], [], [], []
        for top, g in zip(ranked, gold):
            rank = next((i for i, u in enumerate(top[:10]) if u in g), None)
            rr.append(0.0 if rank is None else 1.0 / (rank + 1))
            r1.append(float(rank is not None and rank < 1))
            r5.append(float(rank is not None and rank < 5))
            r10.append(float(rank is not None))
        out = {"mrr@10": rr, "r@1": r1, "r@5": r5, "r@10": r10}
    else:
        rp5, r10 = [], []
        for top, g in zip(ranked, gold):
            rp5.append(len(set(top[:5]) & g) / min(5, len(g)))
            r10.append(len(set(top[:10]) & g) / len(g))
        out = {"rp@5": rp5, "r@10": r10}
    return out


def dense_heads(
    model: BertModel,
    encoder: TextEncoder,
    corpus: Corpus,
    dev: list[DevSet],
    label: str,
    max_queries: int | None = None,
    depth: int = 10,
) -> dict[str, tuple[list[str], list[set[str]], list[list[str]]]]:
    """Per dev set: its queries, their gold and each query's top `depth` concepts."""
    heads: dict[str, tuple[list[str], list[set[str]], list[list[str]]]] = {}
    pool_cache: dict[str, tuple[list[str], torch.Tensor, torch.Tensor]] = {}
    for d in dev:
        if d.pool not in pool_cache:
            pairs = corpus.labels[d.pool]
            concepts = sorted({u for u, _ in pairs})
            index = {u: i for i, u in enumerate(concepts)}
            bar = Progress(f"eval {label}: embed {d.pool} labels", len(pairs))
            vecs = encoder.embed(model, [t for _, t in pairs], 32, on_batch=bar.update)
            owner = torch.tensor([index[u] for u, _ in pairs])
            pool_cache[d.pool] = (concepts, vecs, owner)
        concepts, vecs, owner = pool_cache[d.pool]
        queries, gold = d.queries, d.gold
        if max_queries is not None:
            queries, gold = queries[:max_queries], gold[:max_queries]
        bar = Progress(f"eval {label}: {d.name} queries", len(queries))
        q = encoder.embed(model, queries, 64, on_batch=bar.update)
        ranked: list[list[str]] = []
        for start in range(0, len(queries), 256):
            sims = q[start : start + 256] @ vecs.T
            best = torch.full((sims.shape[0], len(concepts)), -2.0)
            best.scatter_reduce_(1, owner.expand(sims.shape[0], -1), sims, reduce="amax")
            top = torch.topk(best, k=min(depth, len(concepts)), dim=1).indices.tolist()
            ranked.extend([[concepts[i] for i in row] for row in top])
        heads[d.name] = (queries, gold, ranked)
    return heads


def evaluate(
    model: BertModel,
    encoder: TextEncoder,
    corpus: Corpus,
    dev: list[DevSet],
    label: str,
    max_queries: int | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Per dev set, per metric, the per-query values."""
    heads = dense_heads(model, encoder, corpus, dev, label, max_queries)
    metric = {d.name: d.metric for d in dev}
    return {name: _per_query(ranked, gold, metric[name]) for name, (_, gold, ranked) in heads.items()}


def rerank_eval(
    heads: dict[str, tuple[list[str], list[set[str]], list[list[str]]]],
    dev: list[DevSet],
    corpus: Corpus,
    score: Callable[[list[tuple[str, str]]], list[float]],
    label: str,
) -> tuple[dict[str, dict[str, list[float]]], float]:
    """Per dev set, the per-query metrics after `score` reorders each head (query, preferred label),
    as the service's cross-encoder stage does; and the mean milliseconds per head."""
    pool = {d.name: d.pool for d in dev}
    metric = {d.name: d.metric for d in dev}
    results: dict[str, dict[str, list[float]]] = {}
    seconds, heads_scored = 0.0, 0
    for name, (queries, gold, ranked) in heads.items():
        pref = corpus.pref[pool[name]]
        bar = Progress(f"rerank {label}: {name}", len(queries))
        reordered: list[list[str]] = []
        for query, head in zip(queries, ranked):
            started = time.perf_counter()
            scores = score([(query, pref[u]) for u in head])
            seconds += time.perf_counter() - started
            heads_scored += 1
            order = sorted(range(len(head)), key=lambda i: (-scores[i], i))
            reordered.append([head[i] for i in order])
            bar.update(1)
        results[name] = _per_query(reordered, gold, metric[name])
    return results, 1000 * seconds / max(1, heads_scored)


def summarise(per_query: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {
        name: {"queries": len(next(iter(m.values()))), **{k: round(sum(v) / len(v), 4) for k, v in m.items()}}
        for name, m in per_query.items()
    }


def paired_bootstrap(a: list[float], b: list[float], seed: int = 13, rounds: int = 1000) -> tuple[float, float, float]:
    """Mean of b − a and its 95 % percentile interval over resampled queries."""
    n = len(a)
    diffs = [y - x for x, y in zip(a, b)]
    rng = random.Random(seed)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return sum(diffs) / n, means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]
