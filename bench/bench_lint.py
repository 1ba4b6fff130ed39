"""Lint speed on a varied corpus, against baselines measured in the same run.

    python bench/bench_lint.py          # the lint rows alone (bench/run.py prints them all)

The corpus is every ``*.ssml`` of the shared reference corpus (``../shared/corpus/ssml`` beside
the checkout, or ``$SSMLKIT_BENCH_CORPUS``; read at run time, never copied) plus generated
documents, each one distinct down to its elements (indexed text, attribute values and voices), so
that the engine's memo of clean verdicts cannot answer for a document it has not seen. The
generated ones cover what users write: CJK and mixed text, several sizes, W3C namespaces with an
XML declaration and CRLF line ends, Azure and Amazon prefixes, problems, unknown (cloned) voices.
(Attribute values are numbered too, so no two documents share a ``<break>``, ``<sub>`` or
``<say-as>``; ``<speak>`` and ``<phoneme>`` start tags may recur, as in real documents.)

Measures (all per document, over the same files):

- ``lxml.etree.fromstring`` of each file's bytes: the floor (a bare parse, no checks);
- ``ssmlkit.lint`` of each file's bytes: *one pass*, each document once in one new configuration
  (what ``ssmlkit lint *.ssml`` does; the verdict memo knows only elements met earlier in the
  pass); *fresh*, each document once under a configuration of its own (plans built beforehand),
  so nothing at all is remembered from another document, not even the dispatch tables; and
  *warm*, the best of several runs over the whole corpus in one configuration (the verdict memo
  then knows every element: what a long-running tool or an editor sees);
- the npm peer ``ssml-check-core`` (``check()`` with every platform's rules, positions on) on the
  same files, through ``bench/peers/check_core.js``; installed with ``npm ci`` from
  ``bench/peers/package-lock.json`` when missing (its row says why when it cannot be). It is timed
  the way ssmlkit is (:func:`side_by_side`): in fresh processes alternated with ssmlkit's, warmed
  up on other documents, then *one pass*, each document met once; then *warm*, its best later
  pass over the same documents. Its *per-file mean* (each file checked 21 times in a row, the
  last 20 timed: the method of ``../shared/peers``) is printed too. Met again and again, a
  document is checked about twice as fast as on first meeting (0.21 against 0.46 ms on this
  corpus), so the per-file mean compares ssmlkit meeting each document once with a peer that
  has seen it before;
- a document with an unknown voice against the same document with a known one (the voice met
  once before in the process, as in a batch: its suggestions are remembered);
- start-up: ``ssmlkit lint one.ssml`` in a fresh process against ``python -c "import lxml.etree"``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = HERE / "peers"

SMALL = (
    '<speak voice="longanyang" rate="1.1" volume="60">今天天气怎么样？'
    '<break time="500ms"/>去<phoneme alphabet="py" ph="dian3 dang4 hang2">典当行</phoneme>'
    '把这个玩意<phoneme alphabet="py" ph="dang4 diao4">当掉</phoneme>。'
    '<say-as interpret-as="telephone">139 0000 5678</say-as>'
    '<sub alias="网络协议标准">W3C</sub> How to spell <phoneme alphabet="cmu" ph="S AY N">sin</phoneme>?'
    "</speak>"
)

_SENTENCES = (
    "今天天气很好，我们去公园散步吧。",
    "请在听到提示音后留言，我们会尽快回复您。",
    "The quarterly report is due on Friday, 3 May.",
    "银行的行长说，这一行的规矩是先还款。",
    "Please call 139 0000 5678 before 10:30 am.",
    "长城是中国古代的伟大工程之一，全长两万多公里。",
    "Welcome back! Your order #A-1042 has shipped.",
    "他重新整理了重要的文件，然后重重地关上了门。",
)


def _text(i: int, count: int) -> str:
    """``count`` sentences, the first carrying the document's index (so every text differs)."""
    parts = [f"第{i}号。"]
    parts += [_SENTENCES[(i + k) % len(_SENTENCES)] for k in range(count)]
    return "".join(parts)


def _plain(i: int, size: int) -> str:
    """The dialect's own elements only (what ``ssmlkit convert`` and the builder write)."""
    body = "".join(
        f'{_text(i * 100 + k, 2)}<break time="{100 + i * 41 + k}ms"/>'
        f'<phoneme alphabet="py" ph="yin2 hang2">银行</phoneme>'
        f'<say-as interpret-as="telephone">139 {i:04d} {k:04d}</say-as>'
        f'<sub alias="第{i}-{k}条">§{k}</sub>'
        for k in range(size)
    )
    return f'<speak voice="longxiaochun_v3" volume="{40 + i % 50}">{body}</speak>'


def _w3c(i: int, size: int) -> str:
    body = "\r\n".join(
        f'  <s xml:lang="zh-CN">{_text(i * 100 + k, 2)}</s>\r\n'
        f'  <break time="{100 + i * 41 + k}ms"/><say-as interpret-as="cardinal">{i * 41 + k}</say-as>'
        for k in range(size)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n'
        '<speak version="1.1" xmlns="http://www.w3.org/2001/10/synthesis"\r\n'
        '       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\r\n'
        f'       xml:lang="zh-CN" voice="longanyang">\r\n<prosody rate="90%">\r\n{body}\r\n'
        "</prosody></speak>\r\n"
    )


def _azure(i: int, size: int) -> str:
    body = "\n".join(
        f'<mstts:express-as style="cheerful" styledegree="{1 + (i * 41 + k) / 10000:.4f}">{_text(i * 100 + k, 2)}'
        f'</mstts:express-as><amazon:effect name="whispered">{_text(k, 1)}</amazon:effect>'
        for k in range(size)
    )
    return (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
        f'xmlns:mstts="https://www.w3.org/2001/mstts" xml:lang="en-US">\n{body}\n</speak>\n'
    )


def _problems(i: int, size: int) -> str:
    body = "".join(
        f'{_text(i * 100 + k, 1)}<break time="{i * 41 + k} seconds"/>'
        f'<say-as interpret-as="spell-it-{i}">{i}-{k}</say-as>'
        f'<phoneme ph="ni{k % 6}">你</phoneme>R&D {k} &amp; '
        for k in range(size)
    )
    return f'<speak voice="longxiaochun_v3">{body}<prosody rate="fast{i}">x</prosody></speak>'


def _unknown_voice(i: int, size: int) -> str:
    body = "".join(f"<p>{_text(i * 100 + k, 3)}</p>" for k in range(size))
    return f'<speak voice="cosyvoice-clone-{i:04d}" rate="1.{i % 9}">{body}</speak>'


_KINDS: tuple[Callable[[int, int], str], ...] = (_plain, _w3c, _azure, _problems, _unknown_voice)
_SIZES = (1, 3, 10, 40)


def generated_documents(count: int, first: int = 0) -> list[str]:
    """``count`` distinct documents, cycling through the kinds and the sizes (1 to 40 paragraphs);
    numbered from ``first``, so that two calls with disjoint ranges share no element."""
    return [
        _KINDS[i % len(_KINDS)](i, _SIZES[(i // len(_KINDS)) % len(_SIZES)])
        for i in range(first, first + count)
    ]


def warm_up_documents() -> list[str]:
    """Documents of every kind and size, numbered apart from any corpus's: what a process (ours,
    or the peer's) is warmed up on before a timed pass."""
    return generated_documents(len(_KINDS) * len(_SIZES), first=100_000)


def warm_up_process() -> None:
    """Lint documents of every kind and size that the corpus does not hold, in a throwaway
    configuration: the modules and tables rules load on first use are then loaded (start-up has
    its own row), while no verdict or suggestion about the corpus's documents is remembered."""
    import ssmlkit
    from ssmlkit.config import Config

    config = Config()
    for text in warm_up_documents():
        ssmlkit.lint(text.encode("utf-8"), config=config)
    # And the paths no generated document takes: the pure-Python scanner (a document the C
    # scanner declines: a syntax error, a bare '&' in an attribute) and other encodings.
    for text in ("<speak>a<b></speak>", '<speak><sub alias="R&D">x</sub></speak>'):
        ssmlkit.lint(text.encode("utf-8"), config=config)
    ssmlkit.lint('<?xml version="1.0" encoding="ISO-8859-1"?><speak>\xe9</speak>'.encode("latin-1"))


def shared_corpus() -> Path | None:
    """The shared reference corpus's SSML folder, when this machine has it."""
    configured = os.environ.get("SSMLKIT_BENCH_CORPUS")
    folder = Path(configured) if configured else ROOT.parent / "shared" / "corpus" / "ssml"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Corpus:
    """The benchmark's files: the shared ones read in place, the generated ones in ``folder``."""

    files: tuple[Path, ...]
    shared: int  # how many come from the shared corpus

    def label(self) -> str:
        """How the corpus is made, for a row's name."""
        return f"{self.shared} shared + {len(self.files) - self.shared} generated docs"


def build_corpus(folder: Path, generated: int) -> Corpus:
    """Every shared document plus ``generated`` new ones, written into ``folder``."""
    shared_dir = shared_corpus()
    shared = sorted(shared_dir.rglob("*.ssml")) if shared_dir is not None else []
    made = []
    for i, text in enumerate(generated_documents(generated)):
        path = folder / f"generated-{i:04d}.ssml"
        path.write_bytes(text.encode("utf-8"))
        made.append(path)
    return Corpus(tuple(shared + made), len(shared))


def _time(fn: Callable[[], object], repeat: int = 5) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best.append(time.perf_counter() - start)
    return min(best)


def _startup(cmd: list[str], repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=False, capture_output=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def lxml_seconds(data: list[bytes], repeat: int) -> float:
    """Best time of ``lxml.etree.fromstring`` over every document (syntax errors included)."""
    from lxml import etree

    def parse_all() -> None:
        for d in data:
            try:  # noqa: SIM105 (contextlib.suppress would add its own cost to the baseline)
                etree.fromstring(d)
            except etree.XMLSyntaxError:
                pass

    return _time(parse_all, repeat)


def lint_warm_seconds(data: list[bytes], repeat: int) -> float:
    """Best time of ``ssmlkit.lint`` over every document, in one configuration, run after run."""
    import ssmlkit

    ssmlkit.lint(SMALL)  # the rules are built once, outside the timing
    return _time(lambda: [ssmlkit.lint(d) for d in data], repeat)


def lint_pass_seconds(data: list[bytes], warm_up: bytes = SMALL.encode()) -> float:
    """Time of ``ssmlkit.lint`` over every document once, in one new configuration: what
    ``ssmlkit lint *.ssml`` does. Its plan is built, and ``warm_up`` linted, before the clock
    starts; the verdict memo knows only the elements of the documents already linted in the pass.
    """
    import ssmlkit
    from ssmlkit.config import Config
    from ssmlkit.linter.engine import _cached_plan

    config = Config()
    _cached_plan(config, None)
    ssmlkit.lint(warm_up, config=config)
    start = time.perf_counter()
    for d in data:
        ssmlkit.lint(d, config=config)
    return time.perf_counter() - start


@dataclass(frozen=True)
class SideBySide:
    """Seconds for one pass over a corpus, each tool in fresh processes (see :func:`side_by_side`).

    ``peer_one``: ssml-check-core's first timed pass, each document met once (what ``one`` is for
    ssmlkit); ``peer_warm``: its best later pass over the same documents (what
    ``lint_warm_seconds`` is for ssmlkit). A string says why the peer was not measured."""

    lxml: float
    one: float
    peer_one: float | str
    peer_warm: float | str


def corpus_halves(corpus: Corpus) -> list[tuple[list[Path], list[Path]]]:
    """The corpus cut in two, as (warm-up files, timed files) for each half: a half's timed files
    are every other shared document and every other generated one, and it is warmed up on the
    other half's shared documents. Each document is timed once, in one half; the process timing it
    has met documents like it (the shared corpus is varied: speechmarkdown, Alexa, Azure, W3C
    tests) but never it."""
    shared, made = corpus.files[: corpus.shared], corpus.files[corpus.shared :]
    return [
        (list(shared[0::2]), list(shared[1::2]) + list(made[0::2])),
        (list(shared[1::2]), list(shared[0::2]) + list(made[1::2])),
    ]


def side_by_side(
    corpus: Corpus,
    processes: int,
    repeat: int = 5,
    peer: bool = True,
    install: bool = True,
) -> SideBySide:
    """ssmlkit's one pass and ssml-check-core's, measured the same way and alternated process by
    process, so that the VM's drift falls on both. For each half of :func:`corpus_halves`, a
    fresh process is warmed up on :func:`warm_up_documents` and the half's warm-up files (the
    peer: 20 rounds of them, for its JIT), then meets each of the half's timed files once; the
    peer's process then passes ``repeat`` more times over them, for its warm figure. Each figure
    is the best of ``processes`` per half, summed over the halves (lxml is timed in ssmlkit's
    processes, right before its pass).

    ``peer``: measure the peer at all; ``install``: install it when missing (else only use it when
    installed)."""
    reason: str | None = None
    if not peer:
        reason = "not measured"
    elif install:
        reason = _peer_ready()
    elif not (PEERS / "node_modules" / "ssml-check-core").is_dir():
        reason = "not installed (a full run installs it)"
    node = shutil.which("node")
    if reason is None and node is None:
        reason = "node not found"
    totals = {"lxml": 0.0, "one": 0.0, "peer_one": 0.0, "peer_warm": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm_docs = []
        for i, text in enumerate(warm_up_documents()):
            path = folder / f"warm-{i:02d}.ssml"
            path.write_bytes(text.encode("utf-8"))
            warm_docs.append(path)
        for h, (warm, timed) in enumerate(corpus_halves(corpus)):
            warm_list, listing = folder / f"warm-{h}.txt", folder / f"timed-{h}.txt"
            warm_list.write_text("".join(f"{f}\n" for f in warm_docs + warm), encoding="utf-8")
            listing.write_text("".join(f"{f}\n" for f in timed), encoding="utf-8")
            best = dict.fromkeys(totals, float("inf"))
            for _ in range(processes):
                timing = _one_pass_process(listing, repeat, warm_list)
                best["lxml"] = min(best["lxml"], timing["lxml"])
                best["one"] = min(best["one"], timing["one"])
                if reason is None and node is not None:
                    measured = _peer_passes(node, listing, warm_list, 1 + repeat)
                    if isinstance(measured, str):
                        reason = measured
                    else:
                        best["peer_one"] = min(best["peer_one"], measured[0])
                        best["peer_warm"] = min(best["peer_warm"], *measured[1:])
            for key in totals:
                totals[key] += best[key]
    return SideBySide(
        totals["lxml"],
        totals["one"],
        totals["peer_one"] if reason is None else reason,
        totals["peer_warm"] if reason is None else reason,
    )


def _one_pass_process(listing: Path, repeat: int, warm_list: Path) -> dict[str, float]:
    """:func:`_one_pass_main` in a fresh process."""
    proc = subprocess.run(
        [
            *(sys.executable, str(Path(__file__).resolve()), "--one-pass"),
            *(str(listing), str(repeat), str(warm_list)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    timing: dict[str, float] = json.loads(proc.stdout)
    return timing


def _peer_passes(node: str, listing: Path, warm_list: Path, passes: int) -> list[float] | str:
    """Seconds of each of ``passes`` passes of ssml-check-core over ``listing``'s files, in a
    fresh node process warmed up on ``warm_list``'s; or why they could not be measured."""
    command = [node, str(PEERS / "check_core.js"), "--passes", str(passes), "20"]
    try:
        out = _run_tool([*command, str(warm_list), str(listing)], "check_core.js", 900)
    except _ToolFailed as exc:
        return str(exc)
    return [ms / 1e3 for ms in json.loads(out)["passMs"]]


def _one_pass_main(listing: str, repeat: int, warm_listing: str) -> None:
    """``--one-pass LISTFILE REPEAT WARMLIST``: warm up (:func:`warm_up_process`, then each file
    of WARMLIST linted in a throwaway configuration), then print the lxml and one-pass seconds of
    LISTFILE's files as JSON."""
    import ssmlkit
    from ssmlkit.config import Config

    def read(name: str) -> list[bytes]:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        return [Path(line).read_bytes() for line in lines if line]

    data = read(listing)
    warm_up_process()
    config = Config()
    for d in read(warm_listing):
        ssmlkit.lint(d, config=config)
    base = lxml_seconds(data, repeat)
    one = lint_pass_seconds(data)
    print(json.dumps({"lxml": base, "one": one}))


def lint_fresh_seconds(data: list[bytes]) -> float:
    """Time of ``ssmlkit.lint`` over every document once, each under a configuration of its own.

    A new :class:`~ssmlkit.config.Config` gets a new plan, and with it empty verdict memos; the
    plans are built before the clock starts (the engine keeps 64: hence the batches).
    """
    import ssmlkit
    from ssmlkit.config import Config
    from ssmlkit.linter.engine import _cached_plan

    total = 0.0
    for at in range(0, len(data), 50):
        batch = data[at : at + 50]
        configs = [Config() for _ in batch]
        for config in configs:
            _cached_plan(config, None)
        start = time.perf_counter()
        for d, config in zip(batch, configs, strict=True):
            ssmlkit.lint(d, config=config)
        total += time.perf_counter() - start
    return total


def _run_tool(command: list[str], what: str, timeout: int, cwd: Path | None = None) -> str:
    """``command``'s standard output; :class:`_ToolFailed` says why there is none (``what did
    not run``, or ``what failed:`` and its last line of errors), which the peer's rows print
    instead of a figure."""
    try:
        proc = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _ToolFailed(f"{what} did not run ({type(exc).__name__})") from exc
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1][:60]
        raise _ToolFailed(f"{what} failed: {last}")
    return proc.stdout


class _ToolFailed(Exception):
    """Why a peer's command gave no result (its rows print the message)."""


def _peer_ready() -> str | None:
    """Install ssml-check-core into bench/peers when missing; the reason when it cannot be."""
    if (PEERS / "node_modules" / "ssml-check-core" / "package.json").is_file():
        return None
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node/npm not found"
    try:
        _run_tool([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci", 300, PEERS)
    except _ToolFailed as exc:
        return str(exc)
    return None


def peer_ms_per_doc(files: tuple[Path, ...], repeat: int, install: bool = True) -> float | str:
    """ssml-check-core's mean ``check()`` time per document in ms, or why it was not measured."""
    reason = _peer_ready() if install else None
    if not install and not (PEERS / "node_modules" / "ssml-check-core").is_dir():
        reason = "not installed (a full run installs it)"
    node = shutil.which("node")
    if reason is None and node is None:
        reason = "node not found"
    if reason is not None or node is None:
        return reason or "node not found"
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(str(f) for f in files) + "\n", encoding="utf-8")
        command = [node, str(PEERS / "check_core.js"), str(repeat), str(listing)]
        try:
            out = _run_tool(command, "check_core.js", 900)
        except _ToolFailed as exc:
            return str(exc)
    results = json.loads(out)["results"]
    return float(sum(r["meanMs"] for r in results) / len(results))


def voice_pair_seconds(count: int, distinct: bool = False) -> tuple[float, float]:
    """One pass over ``count`` distinct documents with an unknown (cloned) voice, and over the
    same documents with a known one; best of five, alternated. The documents are the generated
    plain kind (three paragraphs of text with a break, a phoneme, a say-as and a sub each). Each
    pass is warmed with one other document in its voice: a batch meets its voice on the first
    file, and the suggestions for it are remembered from then on.

    ``distinct``: every document has a voice of its own (a batch of cloned voices), so each pays
    for its suggestions once; the memo is emptied before each pass."""
    from ssmlkit.profiles import voices

    texts = [_plain(200_000 + i, 3) for i in range(count + 1)]
    unknown = [
        t.replace("longxiaochun_v3", f"cosyvoice-clone-{i:04d}" if distinct else "my-clone-7")
        for i, t in enumerate(texts)
    ]
    known = [t.encode() for t in texts]
    slow = fast = float("inf")
    for _ in range(5):  # alternated: the machine drifts between runs
        if distinct:
            voices._suggestions.cache_clear()
        slow = min(slow, lint_pass_seconds([u.encode() for u in unknown[1:]], unknown[0].encode()))
        fast = min(fast, lint_pass_seconds(known[1:], known[0]))
    return slow, fast


def main() -> None:
    """Print the lint rows (see ``bench/run.py`` for the whole table)."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(Path(tmp), 200)
        data = [f.read_bytes() for f in corpus.files]
        n = len(data)
        warm_up_process()
        passes = side_by_side(corpus, 3)
        base, one = passes.lxml, passes.one
        fresh = lint_fresh_seconds(data)
        warm = lint_warm_seconds(data, 5)
        per_file = peer_ms_per_doc(corpus.files, 20)
    print(corpus.label())
    print(f"lxml.etree.fromstring  {base / n * 1e3:8.3f} ms/doc")
    print(f"lint, one pass         {one / n * 1e3:8.3f} ms/doc  {one / base:6.2f}x lxml")
    print(f"lint, fresh            {fresh / n * 1e3:8.3f} ms/doc  {fresh / base:6.2f}x lxml")
    print(f"lint, warm             {warm / n * 1e3:8.3f} ms/doc  {warm / base:6.2f}x lxml")
    for label, peer, ours in (
        ("ssml-check-core, one pass", passes.peer_one, one),
        ("ssml-check-core, warm", passes.peer_warm, warm),
    ):
        if isinstance(peer, str):
            print(f"{label:26} {peer}")
        else:
            print(f"{label:26} {peer / n * 1e3:8.3f} ms/doc  {peer / ours:6.2f}x ssmlkit's")
    if isinstance(per_file, str):
        print(f"ssml-check-core, per file  {per_file}")
    else:
        print(f"ssml-check-core, per file  {per_file:8.3f} ms/doc")
    slow, fast = voice_pair_seconds(100)
    print(f"unknown / known voice  {slow / fast:8.2f}x")
    slow, fast = voice_pair_seconds(100, distinct=True)
    print(f"distinct unknown / known {slow / fast:6.2f}x")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one-pass":
        sys.path.insert(0, str(ROOT))  # run as a script: ssmlkit from this checkout
        _one_pass_main(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()
