"""A drawn face for the photo tests (no real person's picture in the repository)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw


def face_image(width: int = 480, height: int = 640, skin: tuple[int, int, int] = (141, 85, 36),
               seed: int = 1) -> Image.Image:
    """A head and shoulders on a graded wall, with a little sensor noise."""
    rng = np.random.default_rng(seed)
    wall = np.linspace(90, 170, height)[:, None, None] * np.ones((1, width, 3))
    noise = rng.normal(0, 6, (height, width, 3))
    image = Image.fromarray(np.clip(wall + noise, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2, height * 2 // 5
    draw.ellipse((0, height * 3 // 4, width, height * 3 // 2), fill=(40, 60, 110))  # shoulders
    draw.ellipse((cx - width // 4, cy - height // 4, cx + width // 4, cy + height // 4), fill=skin)
    for dx in (-width // 10, width // 10):
        draw.ellipse((cx + dx - 18, cy - 40, cx + dx + 18, cy - 22), fill=(250, 250, 250))
        draw.ellipse((cx + dx - 8, cy - 38, cx + dx + 8, cy - 24), fill=(30, 20, 10))
    draw.arc((cx - 50, cy + 40, cx + 50, cy + 90), 20, 160, fill=(90, 30, 30), width=6)
    return image


def face_jpeg(**kwargs) -> bytes:
    out = io.BytesIO()
    face_image(**kwargs).save(out, format="JPEG", quality=90)
    return out.getvalue()
