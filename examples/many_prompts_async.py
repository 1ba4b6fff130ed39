"""Render many short voice prompts at once with ``AsyncRenderClient``: one WAV file per prompt.

Usage::

    SSMLKIT_BASE_URL=https://.../api/gpt/v1 SSMLKIT_API_KEY=... \\
        python examples/many_prompts_async.py --out-dir prompts/

    # no account? the local stand-in speaks the same API with the offline preview voice:
    ssmlkit serve --port 8000 &
    SSMLKIT_BASE_URL=http://127.0.0.1:8000/v1 SSMLKIT_API_KEY=unused \\
        python examples/many_prompts_async.py --out-dir prompts/

The prompts of a phone menu are built with the builder, then rendered concurrently by one client:
the client caps the requests in flight (``--concurrency``), retries 429s and 5xx answers with
backoff, and halves its concurrency for a while after a 429. Each prompt is cached, so a rerun
only sends the prompts that changed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import ssmlkit
from ssmlkit import builder as b
from ssmlkit.rendering import AsyncRenderClient

VOICE = "longyingxun_v3"  # a customer-service voice from the v3-flash list

PROMPTS: dict[str, ssmlkit.Document] = {
    "welcome": b.document(
        b.speak("您好，欢迎致电星河", b.pinyin("银行", "yin2 hang2"), "。", voice=VOICE)
    ),
    "menu": b.document(
        b.speak(
            "查询余额请按一，",
            b.brk(200),
            "转账汇款请按二，",
            b.brk(200),
            "人工服务请按零。",
            voice=VOICE,
        )
    ),
    "hold": b.document(b.speak("正在为您转接，请稍候。", voice=VOICE, rate=0.95)),
    "busy": b.document(
        b.speak("坐席正忙，请您耐心等待，", b.brk(300), "或稍后再拨。", voice=VOICE)
    ),
    "hours": b.document(
        b.speak(
            "人工服务时间为每天",
            b.say_as("9:00", "time"),
            "至",
            b.say_as("21:00", "time"),
            "。",
            voice=VOICE,
        )
    ),
    "hotline": b.document(
        b.speak("全国客服热线：", b.say_as("400-810-8888", "telephone"), "。", voice=VOICE)
    ),
    "balance": b.document(
        b.speak("您的账户余额为", b.say_as("¥3,502.80", "currency"), "。", voice=VOICE)
    ),
    "code": b.document(
        b.speak("您的验证码是", b.say_as("507314", "digits"), "，五分钟内有效。", voice=VOICE)
    ),
    "retry": b.document(
        b.speak("输入有误，", b.pinyin("请重新", "qing3 chong2 xin1"), "输入。", voice=VOICE)
    ),
    "english": b.document(
        b.speak("For service in English, press", b.brk(100), " nine.", voice="longanyang")
    ),
    "survey": b.document(b.speak("通话结束后，请为本次服务评分。", voice=VOICE, pitch=1.05)),
    "goodbye": b.document(b.speak("感谢您的来电，再见！", voice="longyingjing_v3", rate=0.95)),
}


async def render_all(out_dir: Path, concurrency: int, cache: bool) -> list[tuple[str, Path, int]]:
    """Render every prompt concurrently; return (name, path, size in bytes) in prompt order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    async with AsyncRenderClient(concurrency=concurrency) as client:

        async def one(name: str, doc: ssmlkit.Document) -> tuple[str, Path, int]:
            path = await client.render(doc, out_dir / f"{name}.wav", cache=cache)
            assert isinstance(path, Path)
            return name, path, path.stat().st_size

        return await asyncio.gather(*(one(n, d) for n, d in PROMPTS.items()))


def main(argv: list[str] | None = None) -> int:
    """Render the prompts into ``--out-dir`` and print one line per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=Path("prompts"))
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--no-cache", action="store_true", help="always send every prompt")
    args = parser.parse_args(argv)
    if not os.environ.get("SSMLKIT_BASE_URL") or not os.environ.get("SSMLKIT_API_KEY"):
        print(
            "many_prompts_async: set SSMLKIT_BASE_URL and SSMLKIT_API_KEY (for a local stand-in: "
            "run `ssmlkit serve --port 8000` and use SSMLKIT_BASE_URL=http://127.0.0.1:8000/v1 "
            "SSMLKIT_API_KEY=unused)",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    try:
        results = asyncio.run(render_all(args.out_dir, args.concurrency, cache=not args.no_cache))
    except ssmlkit.SSMLKitError as exc:
        print(f"many_prompts_async: error: {exc}", file=sys.stderr)
        return 1
    for name, path, size in results:
        print(f"{name:8} {size:8,} bytes  {path}")
    print(f"{len(results)} prompts in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
