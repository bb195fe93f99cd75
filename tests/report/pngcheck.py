"""A tiny PNG reader/writer (zlib + numpy) for checking Chromium screenshots: no Pillow needed."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

_SIG = b"\x89PNG\r\n\x1a\n"


def read_png(path: str | Path) -> np.ndarray:
    """Decode an 8-bit, non-interlaced RGB/RGBA/grey PNG into an (h, w, channels) uint8 array."""
    data = Path(path).read_bytes()
    if not data.startswith(_SIG):
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, bytearray(), None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError(f"{path}: no IHDR")
    w, h, depth, color, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {color}, interlace {interlace})")
    raw = np.frombuffer(zlib.decompress(bytes(idat)), dtype=np.uint8).reshape(h, w * channels + 1)
    out = np.zeros((h, w * channels), dtype=np.uint8)
    prev = np.zeros(w * channels, dtype=np.int32)
    bpp = channels
    for y in range(h):
        f, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if f == 0:
            cur = line
        elif f == 1:  # Sub: running sum per channel
            cur = (np.cumsum(line.reshape(w, bpp), axis=0) % 256).reshape(-1)
        elif f == 2:  # Up
            cur = (line + prev) % 256
        elif f == 3:  # Average: sequential
            cur = line.copy()
            for i in range(cur.size):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:  # Paeth: sequential; Python ints are faster than numpy scalars here
            lst, up = line.tolist(), prev.tolist()
            for i in range(len(lst)):
                a = lst[i - bpp] if i >= bpp else 0
                b = up[i]
                c = up[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                lst[i] = (lst[i] + pred) & 255
            cur = np.array(lst, dtype=np.int32)
        else:
            raise ValueError(f"{path}: bad filter {f} on row {y}")
        out[y] = cur
        prev = cur
    return out.reshape(h, w, channels)


def write_png(path: str | Path, img: np.ndarray) -> None:
    """Encode an (h, w, 3|4) uint8 array (for looking at crops while developing)."""
    h, w, ch = img.shape
    rows = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    color = {3: 2, 4: 6}[ch]
    Path(path).write_bytes(
        _SIG + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
    )


def color_pixels(img: np.ndarray, rgb: tuple[int, int, int], tol: float = 28.0) -> int:
    """How many pixels lie within `tol` (Euclidean, RGB) of a colour."""
    d = img[..., :3].astype(np.int32) - np.array(rgb, dtype=np.int32)
    return int(((d * d).sum(axis=-1) <= tol * tol).sum())


def non_background_pixels(img: np.ndarray, min_delta: int = 40) -> int:
    """Pixels that differ clearly from white or the page's light grey."""
    rgb = img[..., :3].astype(np.int32)
    return int(((255 - rgb.min(axis=-1)) > min_delta).sum())
