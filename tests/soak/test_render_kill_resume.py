"""``ssmlkit render`` killed with SIGKILL part-way, then restarted: it finishes, the output equals a
clean run's byte for byte, and the rerun sends only the chunks that were not finished at the kill.

"Finished" is what the killed process had stored in its cache. Which chunks those are is read back
from the cache files by their audio (the fake service's answer to each request is distinct), so the
test does not depend on how the renderer names its cache entries.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.fake_service import FakeService

KEY = "sk-kill-resume-secret"
CHUNKS = 40
CONCURRENCY = 2
LATENCY = 0.15  # per request, so the killed run is still busy when it is killed
KILL_AFTER = 6  # answered requests


def _document() -> str:
    # One <speak> per chunk: neighbours differ in an attribute, so the splitter never joins them.
    return "".join(
        f'<speak rate="{1.1 + i % 2 / 10:.1f}">第{i}段 resume chunk {i:02d}</speak>'
        for i in range(CHUNKS)
    )


def _command(src: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ssmlkit",
        "render",
        str(src),
        "-o",
        str(out),
        "--voice",
        "longanyang",
        "--sample-rate",
        "8000",
        "--max-chars",
        "40",
        "--concurrency",
        str(CONCURRENCY),
    ]


def _env(service: FakeService, cache_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
    env.update(
        SSMLKIT_API_KEY=KEY,
        SSMLKIT_BASE_URL=service.base_url,
        XDG_CACHE_HOME=str(cache_home),
    )
    return env


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_sigkill_then_rerun_sends_only_the_unfinished_chunks(tmp_path: Path) -> None:
    src = tmp_path / "doc.ssml"
    src.write_text(_document(), encoding="utf-8")

    # The clean run: the expected output, and the request inputs that make up the document.
    clean_out = tmp_path / "clean" / "out.wav"
    with FakeService(KEY) as svc:
        proc = subprocess.run(
            _command(src, clean_out),
            env=_env(svc, tmp_path / "clean-cache"),
            capture_output=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        every = set(svc.attempts)
    assert len(every) == CHUNKS
    expected = clean_out.read_bytes()

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "out.wav"
    cache_home = tmp_path / "cache"
    with FakeService(KEY, latency=LATENCY) as svc:
        env = _env(svc, cache_home)
        killed = subprocess.Popen(
            _command(src, out), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            _wait_for(
                lambda: sum(svc.successes.values()) >= KILL_AFTER or killed.poll() is not None,
                60,
                "the first answers",
            )
            assert killed.poll() is None, "the render finished before it could be killed"
            os.kill(killed.pid, signal.SIGKILL)
            killed.wait(timeout=30)
        finally:
            if killed.poll() is None:
                killed.kill()
                killed.wait()
            killed.stdout.close()  # type: ignore[union-attr]
            killed.stderr.close()  # type: ignore[union-attr]
        assert killed.returncode == -signal.SIGKILL
        _wait_for(lambda: svc.in_flight == 0, 10, "the requests in flight to end")

        # No output, not even a partial one.
        assert sorted(p.name for p in out_dir.iterdir()) == []

        # What the killed run finished: every complete cache file is one served answer.
        served = {svc.audio(body): body["input"] for body in svc.requests}
        answered = {text for text, n in svc.successes.items() if n}
        finished: set[str] = set()
        for path in cache_home.rglob("*"):
            if path.is_file() and not path.name.startswith("."):  # "." marks a temporary file
                data = path.read_bytes()
                assert data in served, f"{path} is not a complete answer"
                finished.add(served[data])
        assert finished <= answered
        # At most the requests in flight at the kill were answered but not stored.
        assert len(answered - finished) <= CONCURRENCY
        assert 0 < len(finished) < CHUNKS

        before = Counter(svc.attempts)
        svc.latency = 0.0
        rerun = subprocess.run(_command(src, out), env=env, capture_output=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr.decode()
        resent = svc.attempts - before

    assert out.read_bytes() == expected
    # Exactly the unfinished chunks, once each; no finished chunk was requested again.
    assert dict(resent) == dict.fromkeys(every - finished, 1)
    assert f"{CHUNKS} chunks ({len(finished)} from cache)" in rerun.stderr.decode()
    assert KEY.encode() not in rerun.stdout + rerun.stderr
