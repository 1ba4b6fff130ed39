"""A minimal ctypes binding to the eSpeak NG library shipped by the ``espeakng-loader`` wheel.

Usage::

    lib = ESpeak.get()                  # loads and initialises once per process
    samples = lib.synthesize("Hello", voice="en-us", rate=175, pitch=50, volume=100)
    lib.sample_rate                     # 22050

eSpeak NG keeps global state and is not thread-safe: every call goes through one process-wide lock.
Anything that goes wrong while loading (the wheel missing, the library or its data unreadable, an
initialisation error) raises :class:`EngineUnavailableError` with one line saying what to do.
"""

from __future__ import annotations

import array
import ctypes
import importlib
import sys
import threading
from typing import ClassVar

from ssmlkit.errors import EngineUnavailableError

__all__ = ["ESpeak", "EngineUnavailableError"]

_OUTPUT_SYNCHRONOUS = 0x0001  # espeak_ng_OUTPUT_MODE ENOUTPUT_MODE_SYNCHRONOUS
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PHONEMES = 0x100
# espeak_PARAMETER
_RATE, _VOLUME, _PITCH = 1, 2, 3
_OK = 0

_INSTALL_HINT = "install it with: pip install 'ssmlkit[offline]' (or pip install espeakng-loader)"

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class ESpeak:
    """The process-wide eSpeak NG instance (get it with :meth:`get`); calls are serialised."""

    _instance: ClassVar[ESpeak | None] = None
    _init_lock: ClassVar[threading.Lock] = threading.Lock()
    lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, library_path: str, data_path: str) -> None:
        try:
            lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise EngineUnavailableError(
                f"cannot load the eSpeak NG library {library_path}: {exc}; reinstall it with: "
                "pip install --force-reinstall espeakng-loader"
            ) from exc
        try:
            self._bind(lib)
        except AttributeError as exc:
            raise EngineUnavailableError(
                f"the eSpeak NG library {library_path} lacks a function ssmlkit needs ({exc}); "
                "pip install --upgrade espeakng-loader"
            ) from exc
        self.lib = lib
        lib.espeak_ng_InitializePath(data_path.encode())
        status = lib.espeak_ng_Initialize(None)
        if status != _OK:
            raise EngineUnavailableError(
                f"eSpeak NG could not start with its data at {data_path}: {self._message(status)}"
            )
        status = lib.espeak_ng_InitializeOutput(_OUTPUT_SYNCHRONOUS, 0, None)
        if status != _OK:
            raise EngineUnavailableError(f"eSpeak NG output setup failed: {self._message(status)}")
        self.sample_rate: int = lib.espeak_ng_GetSampleRate()
        self._buffer = array.array("h")
        self._callback = _SynthCallback(self._collect)  # kept alive as long as the instance
        lib.espeak_SetSynthCallback(self._callback)
        version = ctypes.c_char_p()
        info = lib.espeak_Info(ctypes.byref(version))
        self.version: str = (info or b"?").decode("ascii", "replace")
        self._voice: str | None = None

    @staticmethod
    def _bind(lib: ctypes.CDLL) -> None:
        c_int, c_void_p, c_char_p = ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p
        lib.espeak_ng_InitializePath.argtypes = [c_char_p]
        lib.espeak_ng_InitializePath.restype = None
        lib.espeak_ng_Initialize.argtypes = [c_void_p]
        lib.espeak_ng_Initialize.restype = c_int
        lib.espeak_ng_InitializeOutput.argtypes = [c_int, c_int, c_char_p]
        lib.espeak_ng_InitializeOutput.restype = c_int
        lib.espeak_ng_GetSampleRate.argtypes = []
        lib.espeak_ng_GetSampleRate.restype = c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_Info.argtypes = [ctypes.POINTER(c_char_p)]
        lib.espeak_Info.restype = c_char_p
        lib.espeak_ng_SetVoiceByName.argtypes = [c_char_p]
        lib.espeak_ng_SetVoiceByName.restype = c_int
        lib.espeak_ng_SetParameter.argtypes = [c_int, c_int, c_int]
        lib.espeak_ng_SetParameter.restype = c_int
        lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        lib.espeak_ng_SetRandSeed.restype = None
        lib.espeak_ng_Synthesize.argtypes = [
            c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            c_void_p,
            c_void_p,
        ]
        lib.espeak_ng_Synthesize.restype = c_int
        lib.espeak_ng_Synchronize.argtypes = []
        lib.espeak_ng_Synchronize.restype = c_int
        lib.espeak_ng_GetStatusCodeMessage.argtypes = [c_int, c_char_p, ctypes.c_size_t]
        lib.espeak_ng_GetStatusCodeMessage.restype = None

    def _message(self, status: int) -> str:
        buf = ctypes.create_string_buffer(512)
        try:
            self.lib.espeak_ng_GetStatusCodeMessage(status, buf, len(buf))
        except AttributeError:  # pragma: no cover - bound before use
            return f"status {status:#x}"
        return buf.value.decode("utf-8", "replace") or f"status {status:#x}"

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0 and wav:
            self._buffer.frombytes(ctypes.string_at(wav, count * 2))
        return 0

    @classmethod
    def get(cls) -> ESpeak:
        """The shared instance, loading the library from ``espeakng-loader`` on first use."""
        if cls._instance is None:
            with cls._init_lock:
                if cls._instance is None:
                    library, data = locate()
                    cls._instance = cls(library, data)
        return cls._instance

    def synthesize(
        self,
        text: str,
        *,
        voice: str,
        rate: int,
        pitch: int,
        volume: int,
        seed: int = 0,
        phonemes: bool = False,
    ) -> array.array[int]:
        """16-bit mono samples at :attr:`sample_rate` for ``text`` read by eSpeak voice ``voice``.

        ``rate`` is in words per minute (80-450), ``pitch`` 0-100 (50 normal), ``volume`` the
        amplitude 0-200 (100 normal). With ``phonemes``, ``[[...]]`` in the text is read as eSpeak
        phoneme mnemonics.
        """
        data = text.encode("utf-8") + b"\0"
        flags = _CHARS_UTF8 | (_PHONEMES if phonemes else 0)
        with self.lock:
            if voice != self._voice:
                status = self.lib.espeak_ng_SetVoiceByName(voice.encode("ascii"))
                if status != _OK:
                    raise EngineUnavailableError(
                        f"eSpeak NG has no voice {voice!r}: {self._message(status)}"
                    )
                self._voice = voice
            self.lib.espeak_ng_SetParameter(_RATE, rate, 0)
            self.lib.espeak_ng_SetParameter(_PITCH, pitch, 0)
            self.lib.espeak_ng_SetParameter(_VOLUME, volume, 0)
            self.lib.espeak_ng_SetRandSeed(seed)
            self._buffer = array.array("h")
            buf = ctypes.create_string_buffer(data, len(data))
            status = self.lib.espeak_ng_Synthesize(
                buf, len(data), 0, _POS_CHARACTER, 0, flags, None, None
            )
            if status == _OK:
                status = self.lib.espeak_ng_Synchronize()
            if status != _OK:
                raise EngineUnavailableError(f"eSpeak NG failed: {self._message(status)}")
            out, self._buffer = self._buffer, array.array("h")
        if sys.byteorder != "little":  # pragma: no cover - samples are native-endian
            out.byteswap()
        return out


def locate() -> tuple[str, str]:
    """The paths of the eSpeak NG shared library and its data folder from ``espeakng-loader``."""
    try:
        espeakng_loader = importlib.import_module("espeakng_loader")
    except ImportError as exc:
        raise EngineUnavailableError(
            f"the offline engine needs the espeakng-loader package; {_INSTALL_HINT}"
        ) from exc
    try:
        library = str(espeakng_loader.get_library_path())
        data = str(espeakng_loader.get_data_path())
    except Exception as exc:  # the loader raises RuntimeError, or worse, on a broken install
        raise EngineUnavailableError(
            f"espeakng-loader is installed but broken ({exc}); "
            "pip install --force-reinstall espeakng-loader"
        ) from exc
    return library, data
