"""The ranking cross-encoder's second stage (RankPO-style preference optimisation on the
graph's own application outcomes): after the first stage has taught the cross-encoder title ↔
label matching, it learns the pairs a candidate ranking actually scores, (vacancy text,
candidate text) as the service builds them (`src/eval/outcomeGroups.ts` exports them), from
preferences between applicants of the same vacancy: hired ≻ interviewed or kept in the talent
pool ≻ rejected.

Loss per step (`PreferenceHyperParameters`):
- pairwise logistic over every ordered pair of a sampled vacancy's applicants with different
  grades, weighted by the grade difference (a hire over a rejection counts twice a progressed
  applicant over a rejection): −log σ(s_better − s_worse);
- a pointwise binary term on grade / 2 (`bce_weight`) that keeps sigmoid(logit) usable as the
  relevance in [0, 1] the ranking fuses;
- the regulariser that keeps the first stage's behaviour (RankPO keeps its contrastive stage's
  behaviour the same way): each step also replays `replay_groups` of the first stage's title ↔
  label groups with its listwise loss, weighted `replay_weight`, so normalizeJobTitle and
  extractSkills, which serve the same model, keep what the first stage learned (the dev table
  shows both tasks after this stage).

Vacancies come split by the hash of `eval:ranking` (`split` of each line): only `train` ones
are trained on; `dev` ones give the dev figures (`preference_dev_eval`)."""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

import torch

from cross_encoder import CrossEncoder, CrossTrainResult, Cycle, Group, PairEncoder, group_loss, run_steps


@dataclass(frozen=True)
class PreferenceHyperParameters:
    steps: int = 300
    vacancies_per_step: int = 4
    applicants_per_vacancy: int = 8
    replay_groups: int = 4
    replay_weight: float = 0.5
    bce_weight: float = 0.5
    learning_rate: float = 3e-5
    head_learning_rate: float = 3e-4
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class OutcomeGroup:
    vacancy_id: str
    split: str
    query: str
    items: tuple[tuple[str, int], ...]  # (candidate text, grade)


def read_outcome_groups(path: Path) -> list[OutcomeGroup]:
    groups = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        try:
            items = tuple((str(i["text"]), int(i["grade"])) for i in raw["items"])
            split = str(raw["split"])
            if split not in ("train", "dev"):
                raise ValueError(f"split {split!r}")
            groups.append(OutcomeGroup(str(raw["vacancyId"]), split, str(raw["query"]), items))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{n}: not an outcome group ({error})") from error
    return groups


def sample_applicants(group: OutcomeGroup, k: int, rng: random.Random) -> list[tuple[str, int]]:
    """Up to `k` applicants with every grade present: the better-graded first (they are few: a
    hire or a handful progressed), the rest rejected ones, drawn at random."""
    by_grade: dict[int, list[tuple[str, int]]] = {}
    for item in group.items:
        by_grade.setdefault(item[1], []).append(item)
    grades = sorted(by_grade, reverse=True)
    picked: list[tuple[str, int]] = []
    # At least one of each grade, then fill from the best grades down, then the lowest.
    for g in grades:
        picked.append(rng.choice(by_grade[g]))
    rest = [i for i in group.items if i not in picked]
    rng.shuffle(rest)
    rest.sort(key=lambda i: -i[1])
    low = grades[-1]
    better = [i for i in rest if i[1] != low][: max(0, k // 2 - len(grades) + 1)]
    lower = [i for i in rest if i[1] == low]
    for item in better + lower:
        if len(picked) >= k:
            break
        picked.append(item)
    return picked


def preference_loss(
    encoder: PairEncoder,
    model: CrossEncoder,
    batch: Sequence[tuple[str, list[tuple[str, int]]]],
    hp: PreferenceHyperParameters,
) -> torch.Tensor:
    pairs: list[tuple[str, str]] = []
    spans: list[tuple[int, int, list[int]]] = []
    for query, items in batch:
        start = len(pairs)
        pairs.extend((query, text) for text, _ in items)
        spans.append((start, len(pairs), [g for _, g in items]))
    logits = encoder.logits(model, pairs)
    terms, weights = [], []
    for start, end, grades in spans:
        s = logits[start:end]
        g = torch.tensor(grades, dtype=logits.dtype, device=logits.device)
        diff = g[:, None] - g[None, :]
        better = diff > 0
        if better.any():
            margins = s[:, None] - s[None, :]
            terms.append((torch.nn.functional.softplus(-margins) * diff.clamp(min=0))[better].sum())
            weights.append(diff[better].sum())
    pairwise = torch.stack(terms).sum() / torch.stack(weights).sum() if terms else logits.sum() * 0
    targets = torch.tensor([g / 2 for *_, grades in spans for g in grades], dtype=logits.dtype, device=logits.device)
    pointwise = torch.nn.functional.binary_cross_entropy_with_logits(logits, targets)
    return pairwise + hp.bce_weight * pointwise


def train_preference(
    model: CrossEncoder,
    encoder: PairEncoder,
    groups: list[OutcomeGroup],
    replay: list[Group],
    replay_hp,
    hp: PreferenceHyperParameters,
    seed: int,
    deadline: Callable[[], bool],
) -> CrossTrainResult:
    train = [g for g in groups if g.split == "train"]
    if not train:
        raise RuntimeError("no training vacancies with graded outcomes")
    rng = random.Random(seed)
    torch.manual_seed(seed)
    vacancies, replayed = Cycle(train, rng), Cycle(replay, rng)

    def next_loss() -> torch.Tensor:
        batch = [(g.query, sample_applicants(g, hp.applicants_per_vacancy, rng)) for g in vacancies.take(hp.vacancies_per_step)]
        loss = preference_loss(encoder, model, batch, hp)
        if replay and hp.replay_groups > 0:
            loss = loss + hp.replay_weight * group_loss(encoder, model, replayed.take(hp.replay_groups), replay_hp)
        return loss

    return run_steps(model, hp, "cross-encoder preference stage", next_loss, deadline)


def probe_preference_loss(model: CrossEncoder, encoder: PairEncoder, groups: Sequence[OutcomeGroup],
                          hp: PreferenceHyperParameters) -> float:
    """The preference loss on fixed training vacancies (all their applicants, up to 16) with dropout
    off: comparable before and after the stage."""
    batch = [(g.query, list(g.items[:16])) for g in groups]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        value = float(preference_loss(encoder, model, batch, hp))
    model.train(was_training)
    return value


# --- dev figures ------------------------------------------------------------------------------


def ndcg_of(grades_in_order: Sequence[int]) -> float:
    def dcg(gs: Sequence[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gs))

    ideal = dcg(sorted(grades_in_order, reverse=True))
    return dcg(grades_in_order) / ideal if ideal > 0 else 0.0


def group_metrics(scores: Sequence[float], grades: Sequence[int]) -> dict[str, float]:
    """Per vacancy: the share of cross-grade applicant pairs in the right order (ties half), and
    nDCG of the applicants ordered by score (gain 2^grade − 1)."""
    right = total = 0.0
    for i in range(len(grades)):
        for j in range(len(grades)):
            if grades[i] > grades[j]:
                total += 1
                right += 1.0 if scores[i] > scores[j] else 0.5 if scores[i] == scores[j] else 0.0
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return {"pairAccuracy": right / total if total else 0.0, "ndcg": ndcg_of([grades[i] for i in order])}


def score_groups(scorer: Callable[[Sequence[tuple[str, str]]], list[float]], groups: Sequence[OutcomeGroup]) -> tuple[list[dict], float]:
    pairs = [(g.query, text) for g in groups for text, _ in g.items]
    t0 = time.monotonic()
    scores = scorer(pairs)
    ms_per_pair = (time.monotonic() - t0) * 1000 / max(1, len(pairs))
    out, at = [], 0
    for g in groups:
        n = len(g.items)
        out.append(group_metrics(scores[at : at + n], [grade for _, grade in g.items]))
        at += n
    return out, ms_per_pair


def dev_groups(groups: Sequence[OutcomeGroup], cap: int) -> list[OutcomeGroup]:
    dev = sorted((g for g in groups if g.split == "dev"), key=lambda g: g.vacancy_id)
    return dev[:cap]
