"""QR codes as inline SVG (segno): no style attribute, no size, so CSS sizes them."""

from __future__ import annotations

import segno


def qr_svg(data: str) -> str:
    """An ``<svg class="qr">`` of ``data`` with error correction M, sized by its viewBox only."""
    return segno.make(data, error="m").svg_inline(svgclass="qr", lineclass=None, omitsize=True)
