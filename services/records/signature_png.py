"""A drawn signature checked before it is kept: a real PNG, small, and not blank.

The signature page sends the canvas as a PNG. It is held to its type by content (the PNG
signature bytes), to a size and a pixel limit (so that a crafted file cannot make the
decoder allocate much), decoded once with Pillow, and refused when it carries no ink:
fewer than `MIN_INK` pixels that are both visible (not transparent) and darker than
near-white, which is what an untouched canvas, a white rectangle or a stray dot give.
"""

from __future__ import annotations

import asyncio
import io
import warnings

from PIL import Image

from services.common.errors import InvalidInput
from services.records.evidence import check_file

MAX_SIGNATURE_BYTES = 1024 * 1024  # a phone's canvas at 3x is some 30-100 KB
MAX_SIDE = 4096  # pixels per side: more than any phone's canvas at its device pixel ratio
MIN_INK = 30  # visible dark pixels: a stroke of a finger gives hundreds
_DARK = 200  # grey level (0 black, 255 white) under which a pixel counts as ink


def ink_pixels(data: bytes) -> int:
    """How many visible, dark pixels the PNG has; InvalidInput if it cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                width, height = image.size
                if width < 1 or height < 1 or width > MAX_SIDE or height > MAX_SIDE:
                    raise InvalidInput("sign.png_size", side=MAX_SIDE)
                image.load()
                rgba = image.convert("RGBA")
    except InvalidInput:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise InvalidInput("sign.png_unreadable") from None
    # Transparent pixels count as the white paper under the signature.
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(paper, rgba).convert("L")
    return sum(grey.histogram()[:_DARK])


def check_drawing(data: bytes, *, max_bytes: int = MAX_SIGNATURE_BYTES) -> None:
    """Refuse what is not a PNG within the limits, or a PNG without a signature on it."""
    check_file(data, max_bytes=max_bytes, allowed=("image/png",))
    if ink_pixels(data) < MIN_INK:
        raise InvalidInput("sign.png_blank")


async def check_drawing_async(data: bytes, *, max_bytes: int = MAX_SIGNATURE_BYTES) -> None:
    """`check_drawing` off the event loop (decoding is CPU work)."""
    await asyncio.to_thread(check_drawing, data, max_bytes=max_bytes)
