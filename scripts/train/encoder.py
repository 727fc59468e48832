"""Texts → token ids → unit vectors, the way the service does it: the
tokenizer.json shipped with the model, truncation to `max_tokens` with the
special tokens kept, right padding to the batch's longest row, mean pooling
over real tokens, L2 normalisation (src/inference/embedder.ts)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import torch
from tokenizers import Tokenizer

from bert import BertModel, mean_pool


class TextEncoder:
    def __init__(self, tokenizer_path: Path, device: torch.device) -> None:
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        self.device = device
        self._cache: dict[tuple[str, int], list[int]] = {}

    def ids(self, texts: Sequence[str], max_tokens: int) -> list[list[int]]:
        """Token ids with [CLS]/[SEP]; content cut before the closing [SEP] as the service does."""
        todo = [t for t in dict.fromkeys(texts) if (t, max_tokens) not in self._cache]
        if todo:
            self.tokenizer.enable_truncation(max_length=max_tokens)
            for text, enc in zip(todo, self.tokenizer.encode_batch(todo)):
                self._cache[(text, max_tokens)] = enc.ids
            self.tokenizer.no_truncation()
        return [self._cache[(t, max_tokens)] for t in texts]

    def pack(self, rows: Sequence[list[int]]) -> dict[str, torch.Tensor]:
        length = max(len(r) for r in rows)
        ids = torch.full((len(rows), length), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), length), dtype=torch.long)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
            mask[i, : len(r)] = 1
        return {
            "input_ids": ids.to(self.device),
            "attention_mask": mask.to(self.device),
            "token_type_ids": torch.zeros_like(ids).to(self.device),
        }

    def forward(self, model: BertModel, texts: Sequence[str], max_tokens: int) -> torch.Tensor:
        """Unit vectors with gradients (training)."""
        feeds = self.pack(self.ids(texts, max_tokens))
        hidden = model(**feeds)
        return torch.nn.functional.normalize(mean_pool(hidden, feeds["attention_mask"]), dim=-1)

    @torch.no_grad()
    def embed(
        self,
        model: BertModel,
        texts: Sequence[str],
        max_tokens: int,
        batch_size: int = 128,
        on_batch: Callable[[int], None] | None = None,
    ) -> torch.Tensor:
        """Unit vectors `[len(texts), dim]` on the CPU, computed in length-sorted batches."""
        was_training = model.training
        model.eval()
        rows = self.ids(texts, max_tokens)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        out: torch.Tensor | None = None
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            feeds = self.pack([rows[i] for i in chunk])
            hidden = model(**feeds)
            vectors = torch.nn.functional.normalize(mean_pool(hidden, feeds["attention_mask"]), dim=-1).float().cpu()
            if out is None:
                out = torch.empty((len(rows), vectors.shape[1]), dtype=torch.float32)
            out[torch.tensor(chunk)] = vectors
            if on_batch:
                on_batch(len(chunk))
        model.train(was_training)
        if out is None:
            return torch.empty((0, model.config.hidden_size))
        return out
