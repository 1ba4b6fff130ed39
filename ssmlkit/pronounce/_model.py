"""g2pM's polyphone model, run batched: a one-layer BiLSTM over characters, then two dense layers.

    >>> model = Model.load()
    >>> encoded = model.encode(["银行行长"])              # one sentence
    >>> model.logits(encoded, [(0, 2)]).shape             # its character 2: scores of 876 readings
    (1, 876)

The weights are g2pM 0.1.2.5's (Apache-2.0), trained on the CPP benchmark and shipped as numpy
arrays in pickles; they are read through :mod:`ssmlkit.pronounce._pickles` and the forward pass is
written here: g2pM's own code runs one sentence at a time and returns only the argmax.

Shapes (B sentences, T the longest plus its two boundary tokens, H = 32 units a direction):
embedding 5,398 x 64; LSTM gates in PyTorch's order (input, forget, cell, output), 4H rows a
direction; then ``relu(W0 [h_fw; h_bw] + b0)`` (32 units) and ``W1 . + b1`` (876 readings).

Each sentence is wrapped in g2pM's boundary tokens (``시`` before, ``끝`` after) and padded with id
0 to the batch's length. The forward direction reads the padding only after a sentence's last
character, so it changes no output kept. The backward direction must start at each sentence's own
last character, not at the padding: every row is reversed within its length, run, and its outputs
reversed back, so a sentence gets the same numbers whatever it is batched with. Both directions
share one loop over the steps (see :class:`Model`).

Checked on the CPP development split: the argmax of :meth:`Model.logits` equals g2pM's own
``G2pM.predict`` on all 9,893 sentences, and the unit tests hold the logits to PyTorch's LSTM
equations computed in float64.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ssmlkit.pronounce._pickles import load_pickle
from ssmlkit.pronounce._table import package_folder

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]
    IntArray = npt.NDArray[np.int64]

__all__ = ["Model", "g2pm_folder"]

PAD: Final = "<PAD>"
UNK: Final = "<UNK>"
BOS: Final = "시"  # g2pM's own choice of tokens, Hangul syllables that never occur in its data
EOS: Final = "끝"


def g2pm_folder() -> Path:
    """The folder of the installed g2pM package, found without importing (running) its code."""
    return package_folder("g2pM")


def _load(folder: Path, name: str) -> Any:
    with (folder / name).open("rb") as f:
        return load_pickle(f)


class Model:
    """The weights and the vocabularies; :meth:`logits` is the batched forward pass.

    Immutable after :meth:`load`, so threads may share one instance.
    """

    def __init__(
        self,
        weights: dict[str, FloatArray],
        char_ids: dict[str, int],
        classes: Sequence[str],
        cedict: dict[str, list[str]],
    ) -> None:
        import numpy as np

        self.char_ids = char_ids
        self.classes = tuple(classes)
        self.class_ids = {c: i for i, c in enumerate(self.classes)}
        self.cedict = cedict
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        size = w["lstm.weight_hh_l0"].shape[1]
        self.hidden = size
        # Both directions run in one loop: the state is [h_fw, h_bw] (2H) and the 8H gate columns
        # are grouped by gate, each group [forward, backward]: input, forget, output, then cell
        # (PyTorch stacks each direction's rows as input, forget, cell, output). The sigmoid
        # gates' rows are halved, since sigmoid(x) = (1 + tanh(x / 2)) / 2: one tanh a step then
        # serves all four gates.
        gates: list[tuple[int, float]] = [(0, 0.5), (1, 0.5), (3, 0.5), (2, 1.0)]
        ih = np.zeros((w["lstm.weight_ih_l0"].shape[1], 8 * size), dtype=np.float32)
        hh = np.zeros((2 * size, 8 * size), dtype=np.float32)
        bias = np.zeros(8 * size, dtype=np.float32)
        for group, (gate, scale) in enumerate(gates):
            rows = slice(gate * size, (gate + 1) * size)
            for direction, suffix in enumerate(("", "_reverse")):
                cols = slice((2 * group + direction) * size, (2 * group + direction + 1) * size)
                ih[:, cols] = scale * w[f"lstm.weight_ih_l0{suffix}"][rows].T
                hh[direction * size : (direction + 1) * size, cols] = (
                    scale * w[f"lstm.weight_hh_l0{suffix}"][rows].T
                )
                bias[cols] = scale * (
                    w[f"lstm.bias_ih_l0{suffix}"][rows] + w[f"lstm.bias_hh_l0{suffix}"][rows]
                )
        self.w_hh = hh
        self.embedding = w["embedding.weight"]
        # Gate inputs of every character, computed once, for each direction (the other
        # direction's columns zero): a batch's inputs are then two gathers and a sum.
        projected = self.embedding @ ih
        forward_cols = np.zeros(8 * size, dtype=bool)
        for group in range(4):
            forward_cols[2 * group * size : (2 * group + 1) * size] = True
        self.char_gates_fw = np.where(forward_cols, projected + bias, 0).astype(np.float32)
        self.char_gates_bw = np.where(forward_cols, 0, projected + bias).astype(np.float32)
        self.w0 = np.ascontiguousarray(w["logit_layer.0.weight"].T)
        self.b0 = w["logit_layer.0.bias"]
        self.w1 = np.ascontiguousarray(w["logit_layer.2.weight"].T)
        self.b1 = w["logit_layer.2.bias"]
        self.w1_rows = np.ascontiguousarray(w["logit_layer.2.weight"])  # (classes, 32)

    @classmethod
    def load(cls, folder: Path | None = None) -> Model:
        """Read g2pM's four pickles from its installed folder (or ``folder``)."""
        where = folder if folder is not None else g2pm_folder()
        class_ids: dict[str, int] = _load(where, "class2idx.pkl")
        classes = [""] * len(class_ids)
        for reading, index in class_ids.items():
            classes[index] = reading
        return cls(
            _load(where, "np_ckpt.pkl"),
            _load(where, "char2idx.pkl"),
            classes,
            _load(where, "digest_cedict.pkl"),
        )

    def encode(self, sentences: Sequence[str]) -> list[list[int]]:
        """Token ids of each sentence with its boundary tokens (unknown characters -> ``<UNK>``)."""
        ids = self.char_ids
        unk, bos, eos = ids[UNK], ids[BOS], ids[EOS]
        return [[bos, *(ids.get(ch, unk) for ch in s), eos] for s in sentences]

    def states(self, encoded: Sequence[Sequence[int]], targets: Sequence[tuple[int, int]]) -> Any:
        """The BiLSTM's output ``[h_fw; h_bw]`` at each ``(sentence, character offset)`` target.

        ``encoded`` comes from :meth:`encode`; a character offset counts from the sentence's first
        character (the boundary token is skipped here). Returns a float32 array (targets, 2H).
        """
        import numpy as np

        batch = len(encoded)
        lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=batch)
        steps = int(lengths.max()) if batch else 0
        tokens = np.zeros((batch, steps), dtype=np.int64)  # <PAD> is id 0
        for row, e in enumerate(encoded):
            tokens[row, : len(e)] = e
        position = np.arange(steps)
        valid = position[None, :] < lengths[:, None]
        # Row b of the backward input is sentence b read from its last real token back.
        backward = np.where(valid, lengths[:, None] - 1 - position[None, :], 0)
        reversed_tokens = np.where(valid, np.take_along_axis(tokens, backward, 1), 0)
        out = self._run(self.char_gates_fw[tokens] + self.char_gates_bw[reversed_tokens])
        size = self.hidden
        rows = np.fromiter((t[0] for t in targets), dtype=np.int64, count=len(targets))
        cols = np.fromiter((t[1] + 1 for t in targets), dtype=np.int64, count=len(targets))
        h_fw = out[rows, cols, :size]
        h_bw = out[rows, lengths[rows] - 1 - cols, size:]
        return np.concatenate([h_fw, h_bw], axis=1)

    def logits(self, encoded: Sequence[Sequence[int]], targets: Sequence[tuple[int, int]]) -> Any:
        """Logits over every reading class for each target (see :meth:`states`): (targets, 876)."""
        import numpy as np

        layer = np.maximum(self.states(encoded, targets) @ self.w0 + self.b0, 0)
        return layer @ self.w1 + self.b1

    def candidate_logits(self, states: Any, candidates: Any) -> Any:
        """Logits of the listed classes only: ``candidates`` is (targets, K) class ids, -1 for
        none; returns (targets, K) with ``-inf`` where the id is -1. The same numbers as the
        columns of :meth:`logits`, at a fraction of the cost (a character has 2-5 candidates of 876).
        """
        import numpy as np

        layer = np.maximum(states @ self.w0 + self.b0, 0)  # (N, 32)
        ids = np.maximum(candidates, 0)
        scores = np.einsum("nh,nkh->nk", layer, self.w1_rows[ids]) + self.b1[ids]
        return np.where(candidates >= 0, scores, -np.inf)

    def _run(self, gates_in: Any) -> Any:
        """Both LSTM directions over (B, T, 8H) gate inputs; returns the states (B, T, 2H).

        Column ``t`` holds the forward direction's step ``t`` and the backward direction's step
        ``t`` of the reversed rows (see :meth:`states`).
        """
        import numpy as np

        batch, steps, _ = gates_in.shape
        two = 2 * self.hidden
        h = np.zeros((batch, two), dtype=np.float32)
        c = np.zeros((batch, two), dtype=np.float32)
        out = np.empty((batch, steps, two), dtype=np.float32)
        w_hh = self.w_hh
        for t in range(steps):
            z = np.tanh(gates_in[:, t] + h @ w_hh)
            gates = z[:, : 3 * two] * 0.5 + 0.5  # input, forget, output: sigmoids
            c = gates[:, two : 2 * two] * c + gates[:, :two] * z[:, 3 * two :]
            h = gates[:, 2 * two :] * np.tanh(c)
            out[:, t] = h
        return out
