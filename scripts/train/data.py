"""Training pairs and dev-eval sets, built only from files the project holds.

Every evaluation file we train on is split by a stable hash of its query text
(lowercased, whitespace collapsed) into a train part and a dev-eval part:

    sha256("<set>:" + normalised query) mod 10 < 7  →  train, else dev-eval

so a title that occurs twice can never be on both sides, the split does not
depend on row order, and it is the same on every machine. Any training anchor
whose normalised text is a dev-eval query of *any* set is dropped as well.
The held-out test splits are never read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

TRAIN_BUCKETS = 7  # of 10
ESCO_ZIPS = {
    "en": "esco-v1.1.1-classification-en-csv.zip",
    "fr": "esco-v1.1.1-classification-fr-partial-csv.zip",
    "relations": "esco-v1.1.1-relations-csv.zip",
}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def split_of(dataset: str, query: str) -> str:
    digest = hashlib.sha256(f"{dataset}:{normalise(query)}".encode("utf-8")).digest()
    return "train" if int.from_bytes(digest[:8], "big") % 10 < TRAIN_BUCKETS else "dev"


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    # Concept of the positive: in-batch candidates of the same concept are not negatives.
    concept: str


@dataclass
class Task:
    """One kind of pair; a batch holds pairs of one task (their negatives share a space)."""

    name: str
    pool: str  # which label pool hard negatives are mined from: "occupation" | "skill"
    max_tokens: int
    weight: float
    pairs: list[Pair] = field(default_factory=list)


@dataclass
class DevSet:
    """Queries with gold concept URIs, ranked against all labels of `pool`."""

    name: str
    pool: str
    metric: str  # "mrr" (one gold) | "rp5" (several gold)
    queries: list[str]
    gold: list[set[str]]


@dataclass
class Corpus:
    """ESCO concepts and their labels (the ranking targets)."""

    pref: dict[str, dict[str, str]]  # kind → uri → English preferred label
    labels: dict[str, list[tuple[str, str]]]  # kind → [(uri, label)] every label, en + fr
    pref_fr: dict[str, str]


@dataclass
class TrainingData:
    tasks: list[Task]
    dev: list[DevSet]
    corpus: Corpus
    card: dict


def _csv_rows(zip_path: Path, member: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(zip_path) as z, z.open(member) as f:
        return list(csv.DictReader(io.TextIOWrapper(f, "utf-8")))


def _labels(cell: str) -> list[str]:
    return [s.strip() for s in (cell or "").split("\n") if s.strip()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_training_data(shared: Path, max_pairs_per_task: int | None = None) -> TrainingData:
    """Everything training and dev evaluation need, from `shared/esco` and `shared/eval`."""
    esco = shared / "esco"
    ev = shared / "eval"
    files = {
        "esco-en": esco / ESCO_ZIPS["en"],
        "esco-fr": esco / ESCO_ZIPS["fr"],
        "esco-relations": esco / ESCO_ZIPS["relations"],
        "jobbert": ev / "job-titles" / "jobbert-titles.validation.csv",
        "melo-queries": ev / "job-titles" / "melo-bel_q_fr_c_fr" / "queries.tsv",
        "melo-annotations": ev / "job-titles" / "melo-bel_q_fr_c_fr" / "annotations.tsv",
        "melo-corpus": ev / "job-titles" / "melo-bel_q_fr_c_fr" / "corpus_elements.tsv",
        "melo-concepts": ev / "job-titles" / "melo-bel_q_fr_c_fr" / "concept_mapping.tsv",
        "techwolf": ev / "vacancies" / "techwolf-job-skills.silver.jsonl",
    }
    for name, path in files.items():
        if not path.is_file():
            raise FileNotFoundError(f"training data file {name} not found: {path}")

    # --- ESCO concepts --------------------------------------------------------------------------
    occ_en = _csv_rows(files["esco-en"], "occupations_en.csv")
    occ_fr = _csv_rows(files["esco-fr"], "occupations_fr.csv")
    skills_en = _csv_rows(files["esco-en"], "skills_en.csv")
    relations = _csv_rows(files["esco-relations"], "occupationSkillRelations.csv")
    pref = {
        "occupation": {r["conceptUri"]: r["preferredLabel"] for r in occ_en},
        "skill": {r["conceptUri"]: r["preferredLabel"] for r in skills_en},
    }
    pref_fr = {r["conceptUri"]: r["preferredLabel"] for r in occ_fr if r["preferredLabel"]}
    labels: dict[str, list[tuple[str, str]]] = {"occupation": [], "skill": []}
    for kind, rows in (("occupation", occ_en), ("occupation", occ_fr), ("skill", skills_en)):
        for r in rows:
            for label in dict.fromkeys([r["preferredLabel"], *_labels(r["altLabels"])]):
                if label:
                    labels[kind].append((r["conceptUri"], label))
    # Skills: preferred labels only as ranking targets of the dev sets (13.9k instead of ~100k texts).
    labels["skill"] = [(uri, label) for uri, label in pref["skill"].items()]
    corpus = Corpus(pref=pref, labels=labels, pref_fr=pref_fr)

    # --- dev-eval splits ------------------------------------------------------------------------
    with files["jobbert"].open(encoding="utf-8") as f:
        jobbert_rows = list(csv.DictReader(f))
    melo_queries = dict(_tsv(files["melo-queries"]))
    melo_corpus = dict(_tsv(files["melo-corpus"]))
    melo_concept = dict(_tsv(files["melo-concepts"]))
    melo_gold: dict[str, set[str]] = defaultdict(set)
    melo_elements: dict[str, list[str]] = defaultdict(list)
    for qid, _, element, relevance in _tsv(files["melo-annotations"]):
        if relevance != "0":
            melo_gold[qid].add(melo_concept[element])
            melo_elements[qid].append(melo_corpus[element])
    techwolf = [json.loads(line) for line in files["techwolf"].open(encoding="utf-8") if line.strip()]
    skill_by_label = {normalise(label): uri for uri, label in pref["skill"].items()}

    jobbert_by_title: dict[str, set[str]] = defaultdict(set)
    for r in jobbert_rows:
        if r["vacancyTitle"].strip() and r["conceptUri"] in pref["occupation"]:
            jobbert_by_title[r["vacancyTitle"].strip()].add(r["conceptUri"])
    techwolf_by_title: dict[str, set[str]] = defaultdict(set)
    for r in techwolf:
        for label in r["skills"]:
            uri = skill_by_label.get(normalise(label))
            if uri:
                techwolf_by_title[r["title"].strip()].add(uri)

    def dev_set(name: str, pool: str, metric: str, items: dict[str, set[str]]) -> DevSet:
        chosen = sorted((q, g) for q, g in items.items() if split_of(name, q) == "dev")
        return DevSet(name, pool, metric, [q for q, _ in chosen], [g for _, g in chosen])

    # JobBERT: a title with several gold rows keeps them all (any counts as a hit).
    dev = [
        dev_set("jobbert", "occupation", "mrr", jobbert_by_title),
        dev_set("melo", "occupation", "mrr", {melo_queries[q]: g for q, g in melo_gold.items()}),
        dev_set("techwolf", "skill", "rp5", techwolf_by_title),
    ]
    dev_queries = {normalise(q) for d in dev for q in d.queries}

    # --- training tasks -------------------------------------------------------------------------
    tasks = {
        t.name: t
        for t in [
            Task("jobbert-titles", "occupation", 32, 3.0),
            Task("melo-titles-fr", "occupation", 32, 0.5),
            Task("esco-occupation-labels", "occupation", 32, 2.0),
            Task("esco-occupation-descriptions", "occupation", 96, 0.5),
            Task("esco-skill-labels", "skill", 32, 1.5),
            Task("techwolf-title-skills", "skill", 32, 1.0),
            Task("esco-occupation-skills", "skill", 32, 0.5),
        ]
    }
    dropped = 0

    def add(task: str, anchor: str, positive: str, concept: str) -> None:
        nonlocal dropped
        anchor, positive = anchor.strip(), positive.strip()
        if not anchor or not positive or normalise(anchor) == normalise(positive):
            return
        if normalise(anchor) in dev_queries:
            dropped += 1
            return
        tasks[task].pairs.append(Pair(anchor, positive, concept))

    for title, uris in jobbert_by_title.items():
        if split_of("jobbert", title) == "train":
            for uri in sorted(uris):
                add("jobbert-titles", title, pref["occupation"][uri], uri)
    for qid, uris in melo_gold.items():
        query = melo_queries[qid]
        if split_of("melo", query) == "train":
            for element in sorted(set(melo_elements[qid])):
                add("melo-titles-fr", query, element, sorted(uris)[0])
    for r in occ_en:
        for alt in _labels(r["altLabels"]) + _labels(r["hiddenLabels"]):
            add("esco-occupation-labels", alt, r["preferredLabel"], r["conceptUri"])
        if r["description"]:
            add("esco-occupation-descriptions", r["description"], r["preferredLabel"], r["conceptUri"])
    for r in occ_fr:
        en = pref["occupation"].get(r["conceptUri"])
        for alt in [r["preferredLabel"], *_labels(r["altLabels"])]:
            # French labels to the French preferred label and across languages to the English one.
            if alt != r["preferredLabel"]:
                add("esco-occupation-labels", alt, r["preferredLabel"], r["conceptUri"])
            if en:
                add("esco-occupation-labels", alt, en, r["conceptUri"])
    for r in skills_en:
        for alt in _labels(r["altLabels"]) + _labels(r["hiddenLabels"]):
            add("esco-skill-labels", alt, r["preferredLabel"], r["conceptUri"])
    for title, uris in techwolf_by_title.items():
        if split_of("techwolf", title) == "train":
            for uri in sorted(uris):
                add("techwolf-title-skills", title, pref["skill"][uri], uri)
    for r in relations:
        if r["relationType"] == "essential" and r["occupationUri"] in pref["occupation"] and r["skillUri"] in pref["skill"]:
            add("esco-occupation-skills", pref["occupation"][r["occupationUri"]], pref["skill"][r["skillUri"]], r["skillUri"])

    task_list = [t for t in tasks.values() if t.pairs]
    if max_pairs_per_task is not None:
        for t in task_list:
            t.pairs = t.pairs[:max_pairs_per_task]

    card = {
        "splitRule": "sha256('<set>:' + lowercased, whitespace-collapsed query) → first 8 bytes as an unsigned"
        f" big-endian integer mod 10 < {TRAIN_BUCKETS} → train, else dev-eval; training anchors equal to any"
        " dev-eval query are dropped",
        "sources": {
            name: {"path": str(path), "sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in files.items()
        },
        "escoConcepts": {"occupations": len(pref["occupation"]), "skills": len(pref["skill"])},
        "tasks": {
            t.name: {"pairs": len(t.pairs), "concepts": len({p.concept for p in t.pairs}), "weight": t.weight,
                     "negativePool": t.pool, "maxTokens": t.max_tokens}
            for t in task_list
        },
        "dev": {d.name: {"queries": len(d.queries), "pool": d.pool, "labels": len(labels[d.pool])} for d in dev},
        "trainQueries": {
            "jobbert": sum(1 for q in jobbert_by_title if split_of("jobbert", q) == "train"),
            "melo": sum(1 for q in melo_gold if split_of("melo", melo_queries[q]) == "train"),
            "techwolf": sum(1 for q in techwolf_by_title if split_of("techwolf", q) == "train"),
        },
        "anchorsDroppedAsDevQueries": dropped,
        "notUsed": "held-out test splits (holdout.tgz.enc, unreadable); skill-extraction TECH/HOUSE and HaHu"
        " postings (kept whole for `npm run eval`)",
    }
    return TrainingData(tasks=task_list, dev=dev, corpus=corpus, card=card)


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def load_fixture_data(folder: Path) -> TrainingData:
    """A tiny stand-in for the real data (tests): `concepts.jsonl` lines
    `{"uri", "kind": "occupation"|"skill", "label", "altLabels": [...]}` give the corpus and
    alternative label → preferred label pairs; `dev.jsonl` lines `{"set", "query", "gold": [uri]}`."""
    concepts_file, dev_file = folder / "concepts.jsonl", folder / "dev.jsonl"
    concepts = [json.loads(line) for line in concepts_file.open(encoding="utf-8") if line.strip()]
    pref: dict[str, dict[str, str]] = {"occupation": {}, "skill": {}}
    labels: dict[str, list[tuple[str, str]]] = {"occupation": [], "skill": []}
    tasks = {kind: Task(f"fixture-{kind}-labels", kind, 32, 1.0) for kind in pref}
    for c in concepts:
        pref[c["kind"]][c["uri"]] = c["label"]
        labels[c["kind"]].append((c["uri"], c["label"]))
        for alt in c.get("altLabels", []):
            labels[c["kind"]].append((c["uri"], alt))
            tasks[c["kind"]].pairs.append(Pair(alt, c["label"], c["uri"]))
    dev_rows = [json.loads(line) for line in dev_file.open(encoding="utf-8") if line.strip()] if dev_file.is_file() else []
    dev = []
    for name in sorted({r["set"] for r in dev_rows}):
        rows = [r for r in dev_rows if r["set"] == name]
        kind = rows[0].get("pool", "occupation")
        dev.append(DevSet(name, kind, "mrr", [r["query"] for r in rows], [set(r["gold"]) for r in rows]))
    files = [f for f in (concepts_file, dev_file) if f.is_file()]
    card = {
        "splitRule": "fixture: dev.jsonl queries are never training anchors",
        "sources": {f.name: {"path": str(f), "sha256": _sha256(f), "bytes": f.stat().st_size} for f in files},
        "tasks": {t.name: {"pairs": len(t.pairs), "negativePool": t.pool} for t in tasks.values() if t.pairs},
        "dev": {d.name: {"queries": len(d.queries)} for d in dev},
    }
    return TrainingData(
        tasks=[t for t in tasks.values() if t.pairs], dev=dev, corpus=Corpus(pref, labels, {}), card=card
    )
