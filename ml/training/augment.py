"""Batched, on-device augmentation of canonical letter images (no per-image Python work).

One call distorts a whole batch with a random affine map per image (rotation, scale, shear,
shift), a smooth elastic warp, stroke thickening or thinning, an ink break (a short gap cut
across the strokes, as a dry pen leaves), and a little pixel noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Augmentation:
    """Strengths of each random distortion; ``Augmentation.none()`` turns all of them off."""

    rotation_deg: float = 20.0
    scale: tuple[float, float] = (0.8, 1.1)
    aspect: float = 0.15
    shear: float = 0.2
    shift: float = 0.1
    elastic: float = 0.04
    thicken_p: float = 0.2
    thin_p: float = 0.1
    break_p: float = 0.2
    noise: float = 0.05

    @staticmethod
    def none() -> Augmentation:
        return Augmentation(0.0, (1.0, 1.0), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def _uniform(n: int, low: float, high: float, g: torch.Generator, device) -> torch.Tensor:
    return torch.rand(n, generator=g, device=device) * (high - low) + low


def dilate(x: torch.Tensor) -> torch.Tensor:
    """3x3 grey dilation (max filter), separable; much faster than ``max_pool2d`` on CPUs."""
    rows = F.pad(x, (0, 0, 1, 1))
    x = torch.maximum(torch.maximum(rows[..., :-2, :], rows[..., 1:-1, :]), rows[..., 2:, :])
    cols = F.pad(x, (1, 1, 0, 0))
    return torch.maximum(torch.maximum(cols[..., :-2], cols[..., 1:-1]), cols[..., 2:])


def ink_breaks(x: torch.Tensor, p: float, g: torch.Generator) -> torch.Tensor:
    """For a share ``p`` of the images, a mask of one short gap (about 1.5 px wide, 6-10 px
    long, any direction) in the letter's middle; zeros elsewhere."""
    n, device = x.shape[0], x.device
    size = x.shape[-1]
    centre = _uniform(2 * n, 0.3 * size, 0.7 * size, g, device).view(n, 2, 1, 1)
    angle = _uniform(n, 0, math.pi, g, device).view(n, 1, 1)
    reach = _uniform(n, 3, 5, g, device).view(n, 1, 1)
    ys, xs = torch.meshgrid(
        torch.arange(size, device=device, dtype=x.dtype),
        torch.arange(size, device=device, dtype=x.dtype),
        indexing="ij",
    )
    dy, dx = ys - centre[:, 0], xs - centre[:, 1]
    across = dx * torch.sin(angle) - dy * torch.cos(angle)
    along = dx * torch.cos(angle) + dy * torch.sin(angle)
    gap = (across.abs() < 0.75) & (along.abs() < reach)
    chosen = torch.rand(n, 1, 1, generator=g, device=device) < p
    return (gap & chosen).unsqueeze(1).to(x.dtype)


def augment(x: torch.Tensor, aug: Augmentation, g: torch.Generator) -> torch.Tensor:
    """Randomly distort a batch ``x`` of shape (B, 1, 28, 28), ink = 1; returns a new tensor."""
    n, device = x.shape[0], x.device
    angle = _uniform(n, -1, 1, g, device) * math.radians(aug.rotation_deg)
    scale = _uniform(n, *aug.scale, g, device)
    aspect = _uniform(n, -aug.aspect, aug.aspect, g, device)
    shear = _uniform(n, -aug.shear, aug.shear, g, device)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # The grid maps output to input coordinates, so divide by the scale to zoom by it.
    sx, sy = 1 / (scale * (1 + aspect)), 1 / (scale * (1 - aspect))
    theta = torch.stack(
        [
            torch.stack([cos * sx, -sin * sx + shear, _uniform(n, -1, 1, g, device) * aug.shift]),
            torch.stack([sin * sy, cos * sy, _uniform(n, -1, 1, g, device) * aug.shift]),
        ]
    ).permute(2, 0, 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    if aug.elastic > 0:
        coarse = torch.randn(n, 2, 4, 4, generator=g, device=device) * aug.elastic
        grid = grid + F.interpolate(coarse, size=x.shape[-2:], mode="bilinear").permute(0, 2, 3, 1)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    pick = torch.rand(n, 1, 1, 1, generator=g, device=device)
    thick, thin = dilate(out), -dilate(-out)
    out = torch.where(pick < aug.thicken_p, thick, out)
    out = torch.where(pick > 1 - aug.thin_p, torch.maximum(thin, 0.7 * out), out)
    if aug.break_p > 0:
        out = out * (1 - ink_breaks(out, aug.break_p, g))
    if aug.noise > 0:
        out = out + torch.randn(out.shape, generator=g, device=device) * aug.noise
    return out.clamp_(0.0, 1.0)
