"""The domain cross-encoder: the first N layers of the base BERT, its pooler
(dense + tanh over [CLS]) and one linear logit, trained as a pair classifier on
(query, ESCO preferred label) pairs, the pairs the service's cross-encoder sees
(src/services/conceptSearchService.ts reranks a title's or a clause's head
against preferred labels).

Training (ConFit v2's runner-up band, listwise): each group is one training
query with one gold label and `negatives` labels sampled from the bi-encoder's
runner-up band (non-gold concepts just below the top, skipping the first
`band_skip`, which are often unlabelled positives). The loss is the softmax
cross-entropy of the gold label within its group plus a pointwise binary term
(`bce_weight`) that keeps sigmoid(logit) usable as a relevance probability.

Pairs are tokenised as the service does (src/inference/textTokenizer.ts):
[CLS] query [SEP] passage [SEP], token types 0 / 1, longest-first truncation
to `max_tokens`, right padding to the batch's longest row."""

from __future__ import annotations

import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn
from tokenizers import Tokenizer

from bert import BertModel, load_bert
from data import Corpus, Task
from encoder import TextEncoder
from progress import Progress
from train_biencoder import gold_by_anchor

OUTPUT_NAME = "logits"
CHECK_PAIRS = [
    ("python developer", "software developer"),
    ("Internship Digital Marketer", "digital marketing manager"),
    ("Boucher (h/f/x)", "butcher"),
    ("night nurse", "specialist nurse"),
    ("Guest Advocate (Cashier), General Merchandise", "shop assistant"),
    ("Registered nurse, night shifts, 3 years of experience in intensive care and paediatrics", "nurse responsible for general care"),
    ("manage musical staff", "manage musical staff"),
]

# Training queries per task (sampled, seeded): the tasks whose pairs the service reranks.
CE_TASK_CAPS = {
    "jobbert-titles": 6000,
    "melo-titles-fr": 1500,
    "esco-occupation-labels": 4000,
    "esco-skill-labels": 4000,
    "techwolf-title-skills": 2500,
    "esco-occupation-skills": 1000,
}


@dataclass(frozen=True)
class CrossHyperParameters:
    steps: int = 900
    groups_per_step: int = 8
    negatives: int = 7
    learning_rate: float = 4e-5
    head_learning_rate: float = 1e-3
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    bce_weight: float = 0.5
    band_skip: int = 1
    band_size: int = 30
    max_grad_norm: float = 1.0
    # The measured configuration (2026-12-03). A ranking pair (vacancy 256 + candidate 448 characters)
    # is 121 tokens at the median, 163 at most: 160 was tried with the preference stage (README).
    max_tokens: int = 128
    layers: int = 4
    freeze_word_embeddings: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


class CrossEncoder(nn.Module):
    """`[batch, 1]` logits for token-id pairs (the interface of the served ms-marco cross-encoder)."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        h = bert.config.hidden_size
        self.config = bert.config
        self.bert = bert
        self.pooler = nn.Linear(h, h)
        self.dropout = nn.Dropout(bert.config.hidden_dropout_prob)
        self.classifier = nn.Linear(h, 1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> torch.Tensor:
        hidden = self.bert(input_ids, attention_mask, token_type_ids)
        pooled = torch.tanh(self.pooler(hidden[:, 0]))
        return self.classifier(self.dropout(pooled))


def load_cross_encoder(base_dir: Path, layers: int, seed: int) -> CrossEncoder:
    """The base's first `layers` layers and its pooler; the logit layer starts small and random (seeded)."""
    from safetensors.torch import load_file

    model = CrossEncoder(load_bert(base_dir, layers=layers))
    state = load_file(str(base_dir / "model.safetensors"))
    model.pooler.weight.data.copy_(state["pooler.dense.weight"])
    model.pooler.bias.data.copy_(state["pooler.dense.bias"])
    generator = torch.Generator().manual_seed(seed)
    model.classifier.weight.data.normal_(0.0, 0.02, generator=generator)
    model.classifier.bias.data.zero_()
    return model


class PairEncoder:
    def __init__(self, tokenizer_path: Path, device: torch.device, max_tokens: int) -> None:
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens, strategy="longest_first")
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        self.device = device
        self.max_tokens = max_tokens
        self._cache: dict[tuple[str, str], tuple[list[int], list[int]]] = {}

    def encode(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
        todo = [p for p in dict.fromkeys(pairs) if p not in self._cache]
        if todo:
            for pair, enc in zip(todo, self.tokenizer.encode_batch(list(todo))):
                self._cache[pair] = (enc.ids, enc.type_ids)
        return [self._cache[p] for p in pairs]

    def pack(self, rows: Sequence[tuple[list[int], list[int]]]) -> dict[str, torch.Tensor]:
        length = max(len(ids) for ids, _ in rows)
        ids = torch.full((len(rows), length), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), length), dtype=torch.long)
        types = torch.zeros((len(rows), length), dtype=torch.long)
        for i, (r, t) in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
            mask[i, : len(r)] = 1
            types[i, : len(t)] = torch.tensor(t, dtype=torch.long)
        return {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device), "token_type_ids": types.to(self.device)}

    def logits(self, model: CrossEncoder, pairs: Sequence[tuple[str, str]]) -> torch.Tensor:
        return model(**self.pack(self.encode(pairs)))[:, 0]

    @torch.no_grad()
    def score(self, model: CrossEncoder, pairs: Sequence[tuple[str, str]], batch_size: int = 64) -> list[float]:
        was_training = model.training
        model.eval()
        rows = self.encode(pairs)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
        out = [0.0] * len(rows)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            values = model(**self.pack([rows[i] for i in chunk]))[:, 0].float().cpu().tolist()
            for i, v in zip(chunk, values):
                out[i] = v
        model.train(was_training)
        return out


@dataclass(frozen=True)
class Group:
    task: str
    query: str
    positive: str
    negatives: tuple[str, ...]


def build_groups(
    bi_model: BertModel,
    encoder: TextEncoder,
    corpus: Corpus,
    tasks: list[Task],
    hp: CrossHyperParameters,
    rng: random.Random,
    caps: dict[str, int] | None = None,
) -> list[Group]:
    """Training groups: a sample of each task's distinct queries, its gold's preferred label, and
    runner-up-band negatives ranked by `bi_model` over the pool's preferred labels."""
    caps = caps if caps is not None else CE_TASK_CAPS
    chosen: list[tuple[Task, str, list[str]]] = []
    for task in tasks:
        cap = caps.get(task.name, caps.get("*", 0))
        if cap <= 0:
            continue
        gold = gold_by_anchor(task)
        anchors = sorted(gold)
        rng.shuffle(anchors)
        chosen.extend((task, a, sorted(gold[a])) for a in anchors[:cap])
    pools = {}
    for pool in sorted({t.pool for t, _, _ in chosen}):
        uris = sorted(corpus.pref[pool])
        bar = Progress(f"cross-encoder negatives: embed {pool} labels", len(uris))
        pools[pool] = (uris, encoder.embed(bi_model, [corpus.pref[pool][u] for u in uris], 32, on_batch=bar.update))
    queries = sorted({a for _, a, _ in chosen})
    bar = Progress("cross-encoder negatives: embed queries", len(queries))
    qvecs = encoder.embed(bi_model, queries, 64, on_batch=bar.update)
    qrow = {q: i for i, q in enumerate(queries)}
    groups: list[Group] = []
    depth = hp.band_skip + hp.band_size + 16
    bar = Progress("cross-encoder negatives: runner-up band", len(chosen))
    for start in range(0, len(chosen), 512):
        chunk = chosen[start : start + 512]
        for pool in sorted({t.pool for t, _, _ in chunk}):
            uris, vecs = pools[pool]
            part = [c for c in chunk if c[0].pool == pool]
            q = qvecs[torch.tensor([qrow[a] for _, a, _ in part])]
            top = torch.topk(q @ vecs.T, k=min(depth, len(uris)), dim=1).indices.tolist()
            for (task, anchor, gold), ranked in zip(part, top):
                golden = set(gold)
                rest = [uris[r] for r in ranked if uris[r] not in golden]
                band = rest[hp.band_skip : hp.band_skip + hp.band_size] or rest
                if len(band) < 1:
                    continue
                picked = rng.sample(band, min(hp.negatives, len(band)))
                positive = corpus.pref[pool][rng.choice(gold)]
                labels = tuple(corpus.pref[pool][u] for u in picked if corpus.pref[pool][u] != positive)
                if labels:
                    groups.append(Group(task.name, anchor, positive, labels))
        bar.update(len(chunk))
    rng.shuffle(groups)
    return groups


def group_loss(encoder: PairEncoder, model: CrossEncoder, groups: Sequence[Group], hp: CrossHyperParameters) -> torch.Tensor:
    pairs: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    for g in groups:
        start = len(pairs)
        pairs.append((g.query, g.positive))
        pairs.extend((g.query, n) for n in g.negatives)
        spans.append((start, len(pairs)))
    logits = encoder.logits(model, pairs)
    labels = torch.zeros_like(logits)
    listwise = []
    for start, end in spans:
        labels[start] = 1.0
        listwise.append(torch.nn.functional.cross_entropy(logits[start:end].unsqueeze(0), torch.zeros(1, dtype=torch.long, device=logits.device)))
    pointwise = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
    return torch.stack(listwise).mean() + hp.bce_weight * pointwise


@dataclass
class CrossTrainResult:
    steps_done: int
    losses: list[float]
    stopped_by_time: bool
    seconds: float


def optimizer_for(model: CrossEncoder, hp) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW over the trainable parameters (no decay on biases and norms; the pooler and logit at
    `hp.head_learning_rate`), linear warm-up over `hp.warmup_fraction` of `hp.steps`, then linear decay."""
    head = list(model.pooler.parameters()) + list(model.classifier.parameters())
    head_ids = {id(p) for p in head}
    body = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for p in body if p.dim() >= 2], "weight_decay": hp.weight_decay, "lr": hp.learning_rate},
            {"params": [p for p in body if p.dim() < 2], "weight_decay": 0.0, "lr": hp.learning_rate},
            {"params": head, "weight_decay": 0.0, "lr": hp.head_learning_rate},
        ]
    )
    warmup = max(1, int(hp.warmup_fraction * hp.steps))

    def lr_at(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (hp.steps - step) / max(1, hp.steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)


class Cycle:
    """Items in a fresh seeded shuffle per pass, `n` at a time (a pass's short tail is skipped)."""

    def __init__(self, items: Sequence, rng: random.Random) -> None:
        self.items, self.rng = items, rng
        self.order = list(range(len(items)))
        self.cursor = len(self.order)

    def take(self, n: int) -> list:
        if self.cursor + n > len(self.order):
            self.rng.shuffle(self.order)
            self.cursor = 0
        chosen = [self.items[i] for i in self.order[self.cursor : self.cursor + n]]
        self.cursor += n
        return chosen


def run_steps(model: CrossEncoder, hp, label: str, next_loss: Callable[[], torch.Tensor],
              deadline: Callable[[], bool]) -> CrossTrainResult:
    """`hp.steps` optimiser steps on `next_loss()` (AdamW of `optimizer_for`, gradients clipped to
    `hp.max_grad_norm`) until done or `deadline()`, with a progress bar."""
    optimizer, scheduler = optimizer_for(model, hp)
    model.train()
    losses: list[float] = []
    started = time.monotonic()
    stopped = False
    bar = Progress(label, hp.steps, " steps")
    for _ in range(hp.steps):
        if deadline():
            stopped = True
            break
        loss = next_loss()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], hp.max_grad_norm)
        optimizer.step()
        scheduler.step()
        losses.append(float(loss.detach()))
        recent = losses[-50:]
        bar.update(1, f"loss {sum(recent) / len(recent):.3f}")
    return CrossTrainResult(len(losses), losses, stopped, time.monotonic() - started)


def train_cross_encoder(
    model: CrossEncoder,
    encoder: PairEncoder,
    groups: list[Group],
    hp: CrossHyperParameters,
    seed: int,
    deadline: Callable[[], bool],
) -> CrossTrainResult:
    rng = random.Random(seed)
    torch.manual_seed(seed)
    if hp.freeze_word_embeddings:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    batches = Cycle(groups, rng)
    return run_steps(model, hp, "cross-encoder training",
                     lambda: group_loss(encoder, model, batches.take(hp.groups_per_step), hp), deadline)


def probe_group_loss(model: CrossEncoder, encoder: PairEncoder, groups: Sequence[Group], hp: CrossHyperParameters) -> float:
    """Loss on a fixed set of groups with dropout off: comparable before and after training."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        value = float(group_loss(encoder, model, groups, hp))
    model.train(was_training)
    return value


# --- export -----------------------------------------------------------------------------------


def export_cross_encoder(model: CrossEncoder, out: Path) -> None:
    """The served reranker interface: `input_ids`, `attention_mask`, `token_type_ids` → `logits [batch, 1]`."""
    from export_onnx import torch_to_onnx

    ids = torch.tensor([[101, 2023, 102, 2003, 102], [101, 7592, 102, 2005, 102]], dtype=torch.long)
    types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 1, 1]], dtype=torch.long)
    torch_to_onnx(model, (ids, torch.ones_like(ids), types), out, OUTPUT_NAME, {0: "batch"})


class OnnxPairScorer:
    """Logits of an exported cross-encoder through onnxruntime, a pair per run (no batch effects:
    the service runs per-batch-quantised models one row at a time) or batched."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, max_tokens: int, threads: int = 0, batch_size: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads > 0:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.output = self.session.get_outputs()[0].name
        self.encoder = PairEncoder(tokenizer_path, torch.device("cpu"), max_tokens)
        self.batch_size = batch_size

    def __call__(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        rows = self.encoder.encode(pairs)
        out = [0.0] * len(rows)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            feeds = {k: v.numpy() for k, v in self.encoder.pack([rows[i] for i in chunk]).items() if k in self.inputs}
            values = self.session.run([self.output], feeds)[0][:, 0].tolist()
            for i, v in zip(chunk, values):
                out[i] = float(v)
        return out


def check_cross_export(model: CrossEncoder, tokenizer: Path, fp32: Path, int8: Path | None, max_tokens: int) -> dict:
    encoder = PairEncoder(tokenizer, torch.device("cpu"), max_tokens)
    reference = np.array(encoder.score(model.to("cpu"), CHECK_PAIRS))
    exported = np.array(OnnxPairScorer(fp32, tokenizer, max_tokens, threads=1)(CHECK_PAIRS))
    result = {"pairs": len(CHECK_PAIRS), "fp32MaxAbsDiff": float(np.abs(reference - exported).max())}
    if int8 is not None:
        quantized = np.array(OnnxPairScorer(int8, tokenizer, max_tokens, threads=1)(CHECK_PAIRS))
        result["int8MaxAbsLogitDiff"] = float(np.abs(reference - quantized).max())
        result["int8SameOrder"] = bool((np.argsort(reference) == np.argsort(quantized)).all())
    return result


def reference_scores(model: CrossEncoder, tokenizer: Path, max_tokens: int) -> dict:
    encoder = PairEncoder(tokenizer, torch.device("cpu"), max_tokens)
    return {"pairs": [list(p) for p in CHECK_PAIRS], "logits": encoder.score(model.to("cpu"), CHECK_PAIRS)}


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
